//! The parts of a page's `multipart/form-data` upload, read once for every page that takes one
//! (the bureau's sheet, the agency's round).

use axum::extract::Multipart;
use axum::response::{IntoResponse, Response};

/// One part of the form: its field name, the file's base name when it is a file, its bytes.
pub struct Part {
    pub name: String,
    /// Only the base name: a report names the file, never a path on the sender's machine.
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    /// The part as text, trimmed (a form field rather than a file).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).trim().to_string()
    }
}

/// Every part of the upload, in order; a malformed body is answered as axum answers it.
pub async fn parts(mut multipart: Multipart) -> Result<Vec<Part>, Response> {
    let mut parts = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(parts),
            Err(error) => return Err(error.into_response()),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .file_name()
            .map(|file| file.rsplit(['/', '\\']).next().unwrap_or(file).to_string());
        match field.bytes().await {
            Ok(bytes) => parts.push(Part {
                name,
                file_name,
                bytes: bytes.to_vec(),
            }),
            Err(error) => return Err(error.into_response()),
        }
    }
}
