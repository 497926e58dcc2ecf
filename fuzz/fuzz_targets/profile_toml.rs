//! The TOML profile loader: see [`ticheck_fuzz::profile_toml`] for what is fed and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ticheck_fuzz::profile_toml(data));
