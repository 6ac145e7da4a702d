//! `mockhaus serve --mode service`: the all-in-one. An embedded single-node control plane
//! (durable under the data directory) plus one data node in this process. On first start it
//! creates the tenant MOCKHAUS with user ADMIN and prints the password, once.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use control_plane::model::{EpochMillis, RoleName, TenantName, UserName};
use control_plane::{Command, ControlNode, NodeConfig, Outcome};
use data_node::control_plane::{ControlPlaneLink, LinkConfig};

use super::control_plane::{admin_token, token_path, AdminToken};

const DEFAULT_TENANT: &str = data_node::rest::DEFAULT_ACCOUNT;
const DEFAULT_USER: &str = "ADMIN";

pub struct Embedded {
    pub data_dir: PathBuf,
    pub admin_port: u16,
    pub admin_token: Option<String>,
}

impl Embedded {
    pub async fn serve(
        self,
        host: &str,
        port: u16,
        mut state: data_node::AppState,
    ) -> anyhow::Result<()> {
        let control_dir = self.data_dir.join("control-plane");
        let admin_token = admin_token(self.admin_token, &self.data_dir)?;
        let mut config = NodeConfig::new(1, "127.0.0.1:0".parse()?, control_dir);
        config.admin_token = Some(admin_token.secret().to_owned());
        let node = ControlNode::start(config)
            .await
            .map_err(|e| anyhow::anyhow!("start the embedded control plane: {e}"))?;
        let members = BTreeMap::from([(1, node.address().to_owned())]);
        node.initialize(members)
            .await
            .map_err(|e| anyhow::anyhow!("bootstrap the embedded control plane: {e}"))?;
        node.raft()
            .wait(Some(Duration::from_secs(30)))
            .current_leader(1, "the embedded control plane leads")
            .await
            .map_err(|e| anyhow::anyhow!("the embedded control plane did not start: {e}"))?;
        let first_start = bootstrap_default_tenant(&node).await?;

        let admin_listener = tokio::net::TcpListener::bind((host, self.admin_port))
            .await
            .with_context(|| format!("listen on {host}:{} for the admin API", self.admin_port))?;
        let admin_address = admin_listener.local_addr()?;
        if let AdminToken::Generated(token) = &admin_token {
            println!(
                "Admin token (saved in {}): {token}",
                token_path(&self.data_dir).display()
            );
        }
        let router = node.admin_router();
        let admin = tokio::spawn(control_plane::admin::serve(
            admin_listener,
            router,
            std::future::pending(),
        ));

        let listener = tokio::net::TcpListener::bind((host, port))
            .await
            .with_context(|| format!("listen on {host}:{port}"))?;
        let address = listener.local_addr()?;
        let link = Arc::new(
            ControlPlaneLink::new(LinkConfig {
                control_plane: vec![node.address().to_owned()],
                node_id: "local".into(),
                advertise: format!("http://{address}"),
                credential_cache: Duration::from_secs(5),
            })
            .map_err(|e| anyhow::anyhow!(e))?,
        );
        state.control_plane = Some(link.clone());
        if let Some(password) = first_start {
            println!(
                "First start: account {DEFAULT_TENANT}, user {DEFAULT_USER}, password {password} (shown once; change it with `mockhaus admin user set-password`)"
            );
        }
        let mode = format!("service mode, admin API on http://{admin_address}");
        let served = super::data_node::serve_linked(listener, state, link, &mode).await;
        admin.abort();
        node.shutdown().await;
        served
    }
}

/// On a fresh data directory: the tenant MOCKHAUS and its user ADMIN (ACCOUNTADMIN) with a
/// random password, which is returned to be printed. `None` when tenants already exist.
async fn bootstrap_default_tenant(node: &ControlNode) -> anyhow::Result<Option<String>> {
    let fresh = node
        .read(|state| state.tenants.is_empty())
        .await
        .map_err(|e| anyhow::anyhow!("read the control plane: {e}"))?;
    if !fresh {
        return Ok(None);
    }
    let password = uuid::Uuid::new_v4().simple().to_string();
    let password_hash = {
        let password = password.clone();
        tokio::task::spawn_blocking(move || control_plane::credentials::hash_password(&password))
            .await?
    };
    let commands = [
        Command::CreateTenant {
            name: TenantName::new(DEFAULT_TENANT),
            comment: Some("created on first start".into()),
            at: EpochMillis::now(),
        },
        Command::CreateUser {
            tenant: TenantName::new(DEFAULT_TENANT),
            user: UserName::new(DEFAULT_USER),
            password_hash: Some(password_hash),
            default_role: Some(RoleName::new("ACCOUNTADMIN")),
            at: EpochMillis::now(),
        },
    ];
    for command in commands {
        let committed = node
            .propose(command)
            .await
            .map_err(|e| anyhow::anyhow!("create the default tenant: {e}"))?;
        if let Outcome::Refused(refusal) = committed.outcome {
            anyhow::bail!("create the default tenant: {refusal}");
        }
    }
    Ok(Some(password))
}
