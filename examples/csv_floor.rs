//! The floor no checker can beat: read a CSV with the `csv` crate alone, a `ByteRecord` loop
//! that touches every field. `make bench` times `ticheck check` against this.

use std::io::{self, BufReader};

fn main() -> io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "big.csv".into());
    let file = std::fs::File::open(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(BufReader::with_capacity(256 * 1024, file));
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes, mut checksum) = (0u64, 0u64, 0u64);
    while reader
        .read_byte_record(&mut record)
        .map_err(io::Error::other)?
    {
        rows += 1;
        for field in record.iter() {
            bytes += field.len() as u64;
            checksum = checksum.wrapping_add(field.first().copied().unwrap_or(0) as u64);
        }
    }
    println!("{rows} rows, {bytes} field bytes, checksum {checksum}");
    Ok(())
}
