//! Request bodies: gzip-decoded when the client says so (every Python and Node request
//! does), parsed as JSON. A malformed body is the caller's error, never a 5xx.

use std::io::Read;

use axum::body::Bytes;
use axum::http::HeaderMap;
use flate2::read::GzDecoder;
use serde::de::DeserializeOwned;

/// Largest decompressed body accepted; a gzip bomb stops here.
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("request body is not valid gzip: {0}")]
    Gzip(std::io::Error),
    #[error("request body is larger than {MAX_BODY_BYTES} bytes once decompressed")]
    TooLarge,
    #[error("request body is not valid JSON: {0}")]
    Json(serde_json::Error),
}

pub fn decode<T: DeserializeOwned + Default>(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<T, BodyError> {
    let gzip = headers
        .get(axum::http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let raw: Vec<u8> = if gzip || body.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        GzDecoder::new(body.as_ref())
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(BodyError::Gzip)?;
        if out.len() as u64 > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        out
    } else {
        body.to_vec()
    };
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(&raw).map_err(BodyError::Json)
}
