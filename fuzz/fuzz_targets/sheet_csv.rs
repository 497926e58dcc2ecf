//! The CSV row loader: see [`ticheck_fuzz::sheet_csv`] for what is fed and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ticheck_fuzz::sheet_csv(data));
