//! `mockhaus control-plane`: one control-plane node (Raft + gRPC + the REST admin API).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use control_plane::{ControlNode, NodeConfig};

#[derive(Debug, Args)]
pub struct ControlPlaneArgs {
    /// This node's Raft id: a positive integer, unique in the cluster.
    #[arg(long)]
    id: u64,
    /// Where the gRPC service (Raft between nodes, data nodes) listens.
    #[arg(long, default_value = "127.0.0.1:7000")]
    listen: SocketAddr,
    /// The gRPC address other nodes use for this one [default: the --listen address].
    #[arg(long)]
    advertise: Option<String>,
    /// Where the REST admin API listens.
    #[arg(long, default_value = "127.0.0.1:7100")]
    admin_listen: SocketAddr,
    /// The node's durable state (Raft log, snapshots, the generated admin token).
    #[arg(long, env = "MOCKHAUS_DATA_DIR")]
    data_dir: PathBuf,
    /// Form a new cluster of these voters, e.g. `1=127.0.0.1:7001,2=127.0.0.1:7002`. Give every
    /// founding node the same list; ignored once the node's cluster exists (restarts are safe).
    #[arg(long, value_delimiter = ',')]
    bootstrap: Vec<String>,
    /// The admin API's bearer token [default: read from, or generated into, DATA_DIR/admin-token].
    #[arg(long, env = "MOCKHAUS_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Seconds a data node's lease lasts after each heartbeat.
    #[arg(long, default_value_t = 10)]
    lease_ttl_secs: u64,
    /// A tracing filter [default: info, with openraft's own logs at warn].
    #[arg(long, env = "MOCKHAUS_LOG")]
    log: Option<String>,
}

pub fn run(args: ControlPlaneArgs) -> anyhow::Result<()> {
    super::init_logging(args.log.as_deref().unwrap_or(super::SERVICE_LOG_FILTER))?;
    if args.id == 0 {
        bail!("--id must be a positive integer");
    }
    let members = parse_members(&args.bootstrap)?;
    let admin_token = admin_token(args.admin_token.clone(), &args.data_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("start the runtime")?;
    runtime.block_on(serve(args, members, admin_token))
}

async fn serve(
    args: ControlPlaneArgs,
    members: BTreeMap<u64, String>,
    admin_token: AdminToken,
) -> anyhow::Result<()> {
    let mut config = NodeConfig::new(args.id, args.listen, args.data_dir.clone());
    config.advertise = args.advertise;
    config.lease_ttl = std::time::Duration::from_secs(args.lease_ttl_secs.max(1));
    config.admin_token = Some(admin_token.secret().to_owned());
    let node = ControlNode::start(config)
        .await
        .map_err(|e| anyhow::anyhow!("start the control-plane node: {e}"))?;
    if !members.is_empty() {
        let formed = node
            .initialize(members)
            .await
            .map_err(|e| anyhow::anyhow!("bootstrap the cluster: {e}"))?;
        if !formed {
            tracing::info!("the cluster already exists; --bootstrap ignored");
        }
    }
    let listener = tokio::net::TcpListener::bind(args.admin_listen)
        .await
        .with_context(|| format!("listen on {}", args.admin_listen))?;
    let admin_address = listener.local_addr()?;
    println!(
        "Mockhaus control-plane node {} on {} (gRPC), admin API on http://{admin_address}",
        node.id(),
        node.address()
    );
    if let AdminToken::Generated(token) = &admin_token {
        println!(
            "Admin token (saved in {}): {token}",
            token_path(&args.data_dir).display()
        );
    }
    use std::io::Write;
    std::io::stdout().flush()?;
    let router = node.admin_router();
    control_plane::admin::serve(listener, router, super::serve::shutdown_signal())
        .await
        .context("serve the admin API")?;
    node.shutdown().await;
    Ok(())
}

fn parse_members(specs: &[String]) -> anyhow::Result<BTreeMap<u64, String>> {
    specs
        .iter()
        .filter(|spec| !spec.trim().is_empty())
        .map(|spec| {
            let (id, address) = spec
                .split_once('=')
                .with_context(|| format!("--bootstrap member {spec:?} is not ID=HOST:PORT"))?;
            let id: u64 = id
                .trim()
                .parse()
                .with_context(|| format!("--bootstrap member {spec:?}: the id is not a number"))?;
            Ok((id, address.trim().to_owned()))
        })
        .collect()
}

pub(super) enum AdminToken {
    Given(String),
    Generated(String),
}

impl AdminToken {
    pub(super) fn secret(&self) -> &str {
        match self {
            AdminToken::Given(token) | AdminToken::Generated(token) => token,
        }
    }
}

pub(super) fn token_path(data_dir: &Path) -> PathBuf {
    data_dir.join("admin-token")
}

/// The flag or environment wins; otherwise the token saved by an earlier start; otherwise a new
/// random one, saved (owner-only) so that restarts keep it.
pub(super) fn admin_token(given: Option<String>, data_dir: &Path) -> anyhow::Result<AdminToken> {
    if let Some(token) = given.filter(|t| !t.is_empty()) {
        return Ok(AdminToken::Given(token));
    }
    let path = token_path(data_dir);
    if let Ok(saved) = std::fs::read_to_string(&path) {
        return Ok(AdminToken::Given(saved.trim().to_owned()));
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("create {}", data_dir.display()))?;
    let token = format!("mhadm_{}", uuid::Uuid::new_v4().simple());
    write_private(&path, &token).with_context(|| format!("write {}", path.display()))?;
    Ok(AdminToken::Generated(token))
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_members_parse_and_bad_ones_are_explained() {
        let members =
            parse_members(&["1=127.0.0.1:7001".into(), " 2 = 10.0.0.2:7000".into()]).unwrap();
        assert_eq!(members[&2], "10.0.0.2:7000");
        let error = parse_members(&["x=1".into()]).unwrap_err().to_string();
        assert!(error.contains("not a number"), "{error}");
        assert!(parse_members(&["127.0.0.1:7001".into()]).is_err());
    }
}
