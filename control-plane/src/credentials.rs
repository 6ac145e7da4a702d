//! Password hashing (argon2id) and programmatic access tokens (random, kept as SHA-256).
//!
//! Hashing happens on the node that receives the request, before the command is proposed: the
//! log carries only hashes, never a password or a token secret.

use crate::model::{AccessToken, EpochMillis, TokenId, UserName};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Prefix of every secret Mockhaus issues, so leaked tokens are recognisable.
const TOKEN_PREFIX: &str = "mhpat_";

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt length");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

pub fn verify_password(password: &str, phc_hash: &str) -> bool {
    PasswordHash::new(phc_hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

pub fn token_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new token record and its secret; the secret is shown once and never stored.
pub fn issue_token(
    user: UserName,
    name: String,
    now: EpochMillis,
    valid_for_ms: u64,
) -> (AccessToken, String) {
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut id);
    rand::rng().fill_bytes(&mut secret);
    let secret = format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    let token = AccessToken {
        id: TokenId(hex::encode(id)),
        name,
        user,
        secret_sha256: token_digest(&secret),
        created_at: now,
        expires_at: now.plus_millis(valid_for_ms),
        revoked: false,
    };
    (token, secret)
}

/// Whether `secret` is this token's and the token may still be used at `now`.
pub fn token_accepts(token: &AccessToken, secret: &str, now: EpochMillis) -> bool {
    token_accepts_digest(token, &token_digest(secret), now)
}

/// `token_accepts` for a secret already hashed with `token_digest` (hash once, check many).
pub fn token_accepts_digest(token: &AccessToken, secret_digest: &str, now: EpochMillis) -> bool {
    let matches: bool = token
        .secret_sha256
        .as_bytes()
        .ct_eq(secret_digest.as_bytes())
        .into();
    !token.revoked && now < token.expires_at && matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("s3cret");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("s3cret", &hash));
        assert!(!verify_password("S3cret", &hash));
        assert!(!verify_password("s3cret", "not a hash"));
        assert_ne!(hash, hash_password("s3cret"), "salted");
    }

    #[test]
    fn tokens_expire_and_can_be_revoked() {
        let (mut token, secret) =
            issue_token(UserName::new("ann"), "ci".into(), EpochMillis(1_000), 500);
        assert!(secret.starts_with(TOKEN_PREFIX));
        assert!(!token.secret_sha256.contains(&secret));
        assert!(token_accepts(&token, &secret, EpochMillis(1_499)));
        assert!(!token_accepts(&token, &secret, EpochMillis(1_500)));
        assert!(!token_accepts(&token, "mhpat_wrong", EpochMillis(1_000)));
        token.revoked = true;
        assert!(!token_accepts(&token, &secret, EpochMillis(1_000)));
    }
}
