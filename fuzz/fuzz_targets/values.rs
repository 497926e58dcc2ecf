//! The value parsers: see [`ticheck_fuzz::values`] for what is fed and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ticheck_fuzz::values(data));
