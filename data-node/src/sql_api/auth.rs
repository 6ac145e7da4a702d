//! Who a SQL API request comes from. The API takes `Authorization: Bearer <token>`: a key-pair
//! JWT names its account and user in its `iss` claim (`ACCOUNT.USER.SHA256:...`); a Mockhaus
//! session token (from a driver login or `/api/v1/sessions`) stands for its session's account.
//! Memory mode keeps no keys or users yet, so a JWT's signature is not checked: any well-formed
//! key-pair JWT opens its account, as any password does at driver login.

use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use serde_json::Value;

use super::result_set::failure;
use crate::sessions::TokenLookup;
use crate::AppState;

pub struct Caller {
    pub account: String,
    pub user: String,
}

/// Why a request was refused: no bearer token, or one that names no account.
pub enum Refusal {
    Missing,
    Invalid,
}

impl Refusal {
    pub fn response(self) -> axum::response::Response {
        match self {
            Refusal::Missing => failure(
                StatusCode::UNAUTHORIZED,
                "390101",
                "Authorization header not found in the request data.",
            ),
            Refusal::Invalid => {
                failure(StatusCode::UNAUTHORIZED, "390144", "JWT token is invalid.")
            }
        }
    }
}

pub fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Refusal> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(Refusal::Missing)?;
    // Service mode keeps no key-pair registry yet: a JWT would prove nothing, so only session
    // tokens from a checked login are accepted there.
    if state.control_plane.is_none() {
        if let Some(caller) = from_jwt(token) {
            return Ok(caller);
        }
    }
    match state.sessions.lookup(token) {
        TokenLookup::Valid(session) => Ok(Caller {
            account: session.account.clone(),
            user: session.state().user,
        }),
        _ => Err(Refusal::Invalid),
    }
}

/// The account and user of a key-pair JWT: `iss` is `ACCOUNT.USER.SHA256:<fingerprint>`.
fn from_jwt(token: &str) -> Option<Caller> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let issuer = claims.get("iss")?.as_str()?;
    let mut names = issuer.split('.');
    let account = names.next().filter(|a| !a.is_empty())?;
    let user = names.next().filter(|u| !u.is_empty())?;
    Some(Caller {
        account: account.to_uppercase(),
        user: user.to_uppercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let encode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", encode(r#"{"alg":"RS256"}"#), encode(claims))
    }

    #[test]
    fn a_key_pair_jwt_names_account_and_user() {
        let caller = from_jwt(&jwt(
            r#"{"iss":"acme.alice.SHA256:abc","sub":"ACME.ALICE"}"#,
        ))
        .unwrap();
        assert_eq!(
            (caller.account.as_str(), caller.user.as_str()),
            ("ACME", "ALICE")
        );
        assert!(from_jwt(&jwt(r#"{"sub":"x"}"#)).is_none());
        assert!(from_jwt("opaque-token").is_none());
    }
}
