//! Bytes → text, whatever the encoding.
//!
//! In: a file's bytes. Out: its text and the name of the encoding used, or a reason it is not
//! text. Order of decisions: a byte-order mark wins (UTF-8, UTF-32LE, UTF-32BE, UTF-16LE,
//! UTF-16BE — UTF-32LE's mark starts like UTF-16LE's, so it is tried first); then a NUL byte
//! anywhere means binary; then strict UTF-8; otherwise Windows-1252, which decodes every byte (it
//! is the superset of Latin-1 that real Western "ANSI" text uses).

use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Decodes `bytes`; `Err` carries the reason the input is not text.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    decode_owned(bytes.to_vec())
}

/// [`decode`], reusing the buffer for UTF-8 input (the common case) instead of copying it.
pub fn decode_owned(bytes: Vec<u8>) -> Result<(String, &'static str), String> {
    if let Some(decoded) = decode_bom(&bytes) {
        return decoded;
    }
    // `contains` looks a word at a time; the offset is only looked for in a binary file.
    if bytes.contains(&0) {
        let at = bytes.iter().position(|&b| b == 0).unwrap_or_default();
        return Err(format!("binary file (NUL byte at offset {at})"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, "utf-8")),
        Err(e) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(e.as_bytes());
            Ok((text.into_owned(), "windows-1252"))
        }
    }
}

/// Text that starts with a byte-order mark, decoded by it; `None` without one.
fn decode_bom(bytes: &[u8]) -> Option<Result<(String, &'static str), String>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, malformed) = UTF_8.decode_without_bom_handling(rest);
        let name = if malformed {
            "utf-8-bom (invalid bytes replaced)"
        } else {
            "utf-8-bom"
        };
        return Some(Ok((text.into_owned(), name)));
    }
    if let Some(decoded) = decode_utf32(bytes) {
        return Some(decoded);
    }
    for (bom, encoding, name) in [
        (b"\xFF\xFE", UTF_16LE, "utf-16le"),
        (b"\xFE\xFF", UTF_16BE, "utf-16be"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, malformed) = encoding.decode_without_bom_handling(rest);
            if malformed {
                return Some(Err(format!(
                    "invalid {name} text after its byte-order mark"
                )));
            }
            return Some(Ok((text.into_owned(), name)));
        }
    }
    None
}

/// UTF-32 text after its byte-order mark (`encoding_rs` has no UTF-32); `None` without one.
fn decode_utf32(bytes: &[u8]) -> Option<Result<(String, &'static str), String>> {
    let (rest, name, unit): (_, _, fn([u8; 4]) -> u32) =
        if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE\x00\x00") {
            (rest, "utf-32le", u32::from_le_bytes)
        } else {
            (
                bytes.strip_prefix(b"\x00\x00\xFE\xFF")?,
                "utf-32be",
                u32::from_be_bytes,
            )
        };
    let invalid = || Err(format!("invalid {name} text after its byte-order mark"));
    if rest.len() % 4 != 0 {
        return Some(invalid());
    }
    let text: Option<String> = rest
        .chunks_exact(4)
        .map(|c| char::from_u32(unit([c[0], c[1], c[2], c[3]])))
        .collect();
    Some(text.map_or_else(invalid, |text| Ok((text, name))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_table() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Kyiv’s".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Kyiv’s".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let utf32 = |le: bool| -> Vec<u8> {
            let bom: u32 = 0xFEFF;
            std::iter::once(bom)
                .chain("Kyiv’s 😀".chars().map(u32::from))
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect()
        };
        let (utf32le, utf32be) = (utf32(true), utf32(false));
        type Case<'a> = (&'a [u8], Result<(&'a str, &'a str), &'a str>);
        let cases: Vec<Case> = vec![
            (b"Pyongyang", Ok(("Pyongyang", "utf-8"))),
            ("Türkiye".as_bytes(), Ok(("Türkiye", "utf-8"))),
            (b"\xEF\xBB\xBFSeoul", Ok(("Seoul", "utf-8-bom"))),
            (&utf16le, Ok(("Kyiv’s", "utf-16le"))),
            (&utf16be, Ok(("Kyiv’s", "utf-16be"))),
            (&utf32le, Ok(("Kyiv’s 😀", "utf-32le"))),
            (&utf32be, Ok(("Kyiv’s 😀", "utf-32be"))),
            (
                b"\xFF\xFE\x00\x00\x00\xD8\x00\x00",
                Err("invalid utf-32le text after its byte-order mark"),
            ),
            (
                b"C\xF4te d\x92Ivoire \x80",
                Ok(("Côte d’Ivoire €", "windows-1252")),
            ),
            (
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                Err("binary file (NUL byte at offset 8)"),
            ),
        ];
        for (bytes, want) in cases {
            let got = decode(bytes);
            let got = got
                .as_ref()
                .map(|(t, e)| (t.as_str(), *e))
                .map_err(String::as_str);
            assert_eq!(got, want, "{bytes:?}");
        }
    }
}
