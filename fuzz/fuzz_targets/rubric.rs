//! The rubric loader: see [`ticheck_fuzz::rubric_text`] for what is fed and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ticheck_fuzz::rubric_text(data));
