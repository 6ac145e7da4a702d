//! The gRPC contracts between Mockhaus processes (`proto/control.proto`), generated at build time.
//!
//! Ids travel as small wrapper messages (`TenantName`, `DataNodeId`, `Generation`...) rather than
//! bare strings and integers, so a tenant can never be passed where a user is expected.

#[allow(clippy::all, clippy::pedantic)]
pub mod control {
    tonic::include_proto!("mockhaus.control.v1");
}

pub use control::*;

macro_rules! id_from {
    ($($name:ident: $inner:ty),* $(,)?) => {$(
        impl From<$inner> for control::$name {
            fn from(value: $inner) -> Self {
                Self { value }
            }
        }
    )*};
}

id_from!(
    TenantName: String,
    UserName: String,
    RoleName: String,
    TokenId: String,
    DataNodeId: String,
    RaftNodeId: u64,
    Generation: u64,
);

impl From<&str> for TenantName {
    fn from(value: &str) -> Self {
        Self {
            value: value.to_owned(),
        }
    }
}
