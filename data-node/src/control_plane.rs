//! Service mode: the data node's link to the control plane. Logins are checked there (with a
//! short cache), heartbeats keep this node's lease and tell it which tenants it serves.
//!
//! Memory mode has no link: any credentials open any account.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use parking_lot::{Mutex, RwLock};
use proto::control_plane_client::ControlPlaneClient;
use proto::{AuthenticateRequest, CredentialKind, HeartbeatRequest, RouteRequest};
use sha2::{Digest, Sha256};
use tonic::transport::{Channel, Endpoint};

/// How long the link keeps trying the control-plane nodes before giving up on a call (an
/// election after a leader dies takes a second or two).
const CALL_DEADLINE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Credential {
    Password,
    AccessToken,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginVerdict {
    Accepted {
        default_role: String,
        /// Every role the user may take: granted ones, the default and PUBLIC.
        roles: Vec<String>,
    },
    UnknownTenant,
    BadCredentials,
    /// The tenant is assigned to another data node (its address, when known).
    ServedElsewhere(Option<String>),
    /// No control-plane node answered in time.
    Unavailable(String),
}

#[derive(Debug, Clone)]
pub struct LinkConfig {
    /// gRPC addresses of control-plane nodes; any of them will do.
    pub control_plane: Vec<String>,
    pub node_id: String,
    /// The URL clients use for this node (told to the control plane for routing).
    pub advertise: String,
    /// How long an accepted login is remembered. A revoked token or a changed password takes
    /// effect on this node at most this long after the change.
    pub credential_cache: Duration,
}

#[derive(Hash, PartialEq, Eq)]
struct CacheKey {
    tenant: String,
    user: String,
    credential: Credential,
    secret_sha256: [u8; 32],
}

pub struct ControlPlaneLink {
    config: LinkConfig,
    channels: Vec<Channel>,
    accepted: Mutex<HashMap<CacheKey, (Instant, LoginVerdict)>>,
    served: RwLock<HashSet<String>>,
    lease_ttl: Mutex<Duration>,
}

impl ControlPlaneLink {
    pub fn new(config: LinkConfig) -> Result<Self, String> {
        if config.control_plane.is_empty() {
            return Err("no control-plane address was given".into());
        }
        let channels = config
            .control_plane
            .iter()
            .map(|address| {
                let url = if address.contains("://") {
                    address.clone()
                } else {
                    format!("http://{address}")
                };
                Endpoint::from_shared(url)
                    .map(|endpoint| {
                        endpoint
                            .connect_timeout(Duration::from_millis(500))
                            .timeout(Duration::from_secs(5))
                            .connect_lazy()
                    })
                    .map_err(|e| format!("control-plane address {address:?}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            config,
            channels,
            accepted: Mutex::default(),
            served: RwLock::default(),
            lease_ttl: Mutex::new(Duration::from_secs(10)),
        })
    }

    /// Whether this node currently holds `tenant` (an upper-cased account name).
    pub fn serves(&self, tenant: &str) -> bool {
        // Called on every request: session accounts are already upper-cased, so the lookup
        // allocates only for other spellings.
        let served = self.served.read();
        served.contains(tenant) || served.contains(&tenant.to_uppercase())
    }

    /// A secret given as the password: a password or, as Snowflake allows, a programmatic
    /// access token.
    pub async fn authenticate_password(
        &self,
        tenant: &str,
        user: &str,
        secret: &str,
    ) -> LoginVerdict {
        let verdict = self
            .authenticate(tenant, user, Credential::Password, secret)
            .await;
        if verdict != LoginVerdict::BadCredentials {
            return verdict;
        }
        self.authenticate(tenant, user, Credential::AccessToken, secret)
            .await
    }

    pub async fn authenticate(
        &self,
        tenant: &str,
        user: &str,
        credential: Credential,
        secret: &str,
    ) -> LoginVerdict {
        let key = CacheKey {
            tenant: tenant.to_uppercase(),
            user: user.to_uppercase(),
            credential,
            secret_sha256: Sha256::digest(secret.as_bytes()).into(),
        };
        if let Some(accepted) = self.cached(&key) {
            return self.unless_elsewhere(tenant, accepted).await;
        }
        let kind = match credential {
            Credential::Password => CredentialKind::Password,
            Credential::AccessToken => CredentialKind::AccessToken,
        };
        let request = AuthenticateRequest {
            tenant: Some(tenant.into()),
            user: Some(user.to_string().into()),
            kind: kind as i32,
            secret: secret.to_owned(),
        };
        let reply = self
            .call(|mut client| {
                let request = request.clone();
                async move { client.authenticate(request).await }
            })
            .await;
        let verdict = match reply {
            Err(e) => return LoginVerdict::Unavailable(e),
            Ok(reply) if reply.accepted => LoginVerdict::Accepted {
                default_role: reply.default_role,
                roles: reply.roles,
            },
            Ok(reply) if reply.refusal == "UNKNOWN_TENANT" => LoginVerdict::UnknownTenant,
            Ok(_) => LoginVerdict::BadCredentials,
        };
        if matches!(verdict, LoginVerdict::Accepted { .. }) {
            let until = Instant::now() + self.config.credential_cache;
            self.accepted.lock().insert(key, (until, verdict.clone()));
        }
        self.unless_elsewhere(tenant, verdict).await
    }

    fn cached(&self, key: &CacheKey) -> Option<LoginVerdict> {
        let mut accepted = self.accepted.lock();
        match accepted.get(key) {
            Some((until, verdict)) if *until > Instant::now() => Some(verdict.clone()),
            Some(_) => {
                accepted.remove(key);
                None
            }
            None => None,
        }
    }

    /// A tenant this node does not hold is refused here, naming the node that does.
    async fn unless_elsewhere(&self, tenant: &str, verdict: LoginVerdict) -> LoginVerdict {
        if !matches!(verdict, LoginVerdict::Accepted { .. }) || self.serves(tenant) {
            return verdict;
        }
        // The assignment may be newer than our last heartbeat: renew once before refusing.
        if self.heartbeat().await.is_ok() && self.serves(tenant) {
            return verdict;
        }
        let request = RouteRequest {
            tenant: Some(tenant.into()),
        };
        let route = self
            .call(|mut client| {
                let request = request.clone();
                async move { client.route(request).await }
            })
            .await
            .ok()
            .filter(|route| route.assigned)
            .map(|route| route.address);
        LoginVerdict::ServedElsewhere(route)
    }

    /// Renews this node's lease and refreshes the tenants it serves.
    pub async fn heartbeat(&self) -> Result<(), String> {
        let request = HeartbeatRequest {
            node: Some(self.config.node_id.clone().into()),
            address: self.config.advertise.clone(),
        };
        let reply = self
            .call(|mut client| {
                let request = request.clone();
                async move { client.heartbeat(request).await }
            })
            .await?;
        let tenants: HashSet<String> = reply
            .assignments
            .into_iter()
            .filter_map(|assignment| assignment.tenant.map(|t| t.value.to_uppercase()))
            .collect();
        *self.served.write() = tenants;
        *self.lease_ttl.lock() = Duration::from_millis(reply.lease_ttl_ms.max(300));
        Ok(())
    }

    /// Heartbeats three times per lease until the process ends. While the control plane is
    /// unreachable the node keeps serving what it has until its lease would have lapsed.
    pub async fn keep_lease(self: std::sync::Arc<Self>) {
        let mut last_renewal = Instant::now();
        loop {
            let ttl = *self.lease_ttl.lock();
            match self.heartbeat().await {
                Ok(()) => last_renewal = Instant::now(),
                Err(e) => {
                    tracing::warn!("control-plane heartbeat failed: {e}");
                    if last_renewal.elapsed() > ttl {
                        self.served.write().clear();
                    }
                }
            }
            tokio::time::sleep(ttl / 3).await;
        }
    }

    /// Tries the control-plane nodes in turn until one answers, or the deadline passes.
    async fn call<T, F, Fut>(&self, mut attempt: F) -> Result<T, String>
    where
        F: FnMut(ControlPlaneClient<Channel>) -> Fut,
        Fut: std::future::Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    {
        let deadline = Instant::now() + CALL_DEADLINE;
        let mut pause = Duration::from_millis(25);
        let mut last_error = String::new();
        loop {
            for channel in &self.channels {
                match attempt(ControlPlaneClient::new(channel.clone())).await {
                    Ok(reply) => return Ok(reply.into_inner()),
                    Err(status) if retryable(&status) => last_error = status.message().to_owned(),
                    Err(status) => return Err(status.message().to_owned()),
                }
            }
            if Instant::now() + pause > deadline {
                return Err(format!("the control plane did not answer: {last_error}"));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }
}

fn retryable(status: &tonic::Status) -> bool {
    matches!(
        status.code(),
        tonic::Code::Unavailable | tonic::Code::DeadlineExceeded | tonic::Code::Unknown
    )
}
