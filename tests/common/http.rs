//! What the tests of `ticheck serve` need to read an answer over loopback.

use std::io::Read;

use serde_json::Value;

/// A response's status, content type and body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the body is UTF-8")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text()))
    }
}

/// The answer of a ureq request, whatever its status.
pub fn answer(result: Result<ureq::Response, ureq::Error>) -> Answer {
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("the request failed: {error}"),
    };
    let status = response.status();
    let content_type = response.header("Content-Type").unwrap_or("").to_string();
    let mut body = Vec::new();
    response
        .into_reader()
        .read_to_end(&mut body)
        .expect("the body is read");
    Answer {
        status,
        content_type,
        body,
    }
}
