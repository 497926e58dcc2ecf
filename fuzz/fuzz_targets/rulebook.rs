//! The rulebook loader: see [`ticheck_fuzz::rulebook_text`] for what is fed and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ticheck_fuzz::rulebook_text(data));
