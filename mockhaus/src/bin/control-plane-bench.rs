//! `control-plane-bench`: the control-plane numbers in docs/benchmarks.md.
//!
//! Method: three control-plane nodes in this process, each with its own redb store in a temporary
//! directory on the same disk, talking gRPC over loopback, with the production Raft timing
//! (heartbeat 100 ms, election timeout 600-1200 ms).
//! 1. committed admin writes per second (CreateTenant proposed on the leader), with 1 and with 32
//!    concurrent writers, for a fixed number of writes each;
//! 2. leader failover: the leader is stopped; the time until the two others agree on a new
//!    leader, and until a write through a surviving node is committed; repeated;
//! 3. login latency: `Authenticate` over gRPC on the leader and on a follower (which commits a
//!    read barrier), and through a data node's `ControlPlaneLink` with its credential cache warm,
//!    with a token (password checks are dominated by argon2 by design; reported separately).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use control_plane::credentials::{hash_password, issue_token};
use control_plane::model::{EpochMillis, TenantName, UserName};
use control_plane::{Command, ControlNode, NodeConfig};
use data_node::control_plane::{ControlPlaneLink, Credential, LinkConfig};
use proto::control_plane_client::ControlPlaneClient;
use proto::{AuthenticateRequest, CredentialKind};

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

struct Cluster {
    nodes: BTreeMap<u64, ControlNode>,
    root: PathBuf,
}

impl Cluster {
    async fn start(size: u64) -> anyhow::Result<Self> {
        let root = std::env::temp_dir().join(format!("mockhaus-cp-bench-{}", std::process::id()));
        let mut nodes = BTreeMap::new();
        for id in 1..=size {
            let config = NodeConfig::new(id, "127.0.0.1:0".parse()?, root.join(id.to_string()));
            let node = ControlNode::start(config)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            nodes.insert(id, node);
        }
        let members = nodes
            .iter()
            .map(|(id, n)| (*id, n.address().to_owned()))
            .collect();
        nodes[&1]
            .initialize(members)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let cluster = Self { nodes, root };
        cluster.agreed_leader().await;
        Ok(cluster)
    }

    async fn agreed_leader(&self) -> u64 {
        loop {
            let leaders: Vec<Option<u64>> = self
                .nodes
                .values()
                .map(|n| n.raft().metrics().borrow().current_leader)
                .collect();
            if let Some(Some(leader)) = leaders.first() {
                if leaders.iter().all(|l| *l == Some(*leader)) && self.nodes.contains_key(leader) {
                    return *leader;
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    async fn stop(mut self) {
        let ids: Vec<u64> = self.nodes.keys().copied().collect();
        for id in ids {
            if let Some(node) = self.nodes.remove(&id) {
                node.shutdown().await;
            }
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn tenant(n: usize) -> Command {
    Command::CreateTenant {
        name: TenantName::new(&format!("b{n}")),
        comment: None,
        at: EpochMillis::now(),
    }
}

async fn run() -> anyhow::Result<()> {
    println!(
        "## control plane: 3 nodes in one process, gRPC on loopback, redb (fsync) on one disk\n"
    );
    let cluster = Cluster::start(3).await?;
    writes_per_second(&cluster, 1, 300).await;
    writes_per_second(&cluster, 32, 3_000).await;
    logins(&cluster).await?;
    cluster.stop().await;
    failovers(3).await?;
    Ok(())
}

async fn writes_per_second(cluster: &Cluster, writers: usize, total: usize) {
    let leader = cluster.agreed_leader().await;
    let node = &cluster.nodes[&leader];
    let offset = writers * 1_000_000;
    let started = Instant::now();
    let per_writer = total / writers;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let raft = node.raft().clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_writer {
                raft.client_write(tenant(offset + w * per_writer + i))
                    .await
                    .expect("write");
            }
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }
    let elapsed = started.elapsed();
    println!(
        "committed admin writes, {writers:>2} concurrent writer(s): {:>7.0} writes/s ({} writes in {:.2} s)",
        (per_writer * writers) as f64 / elapsed.as_secs_f64(),
        per_writer * writers,
        elapsed.as_secs_f64()
    );
}

async fn logins(cluster: &Cluster) -> anyhow::Result<()> {
    let leader = cluster.agreed_leader().await;
    let follower = *cluster.nodes.keys().find(|id| **id != leader).unwrap();
    let node = &cluster.nodes[&leader];
    let fail = |e: control_plane::ControlError| anyhow::anyhow!("{e}");
    node.propose(Command::CreateTenant {
        name: TenantName::new("acme"),
        comment: None,
        at: EpochMillis::now(),
    })
    .await
    .map_err(fail)?;
    node.propose(Command::CreateUser {
        tenant: TenantName::new("acme"),
        user: UserName::new("ann"),
        password_hash: Some(hash_password("pw")),
        default_role: None,
        at: EpochMillis::now(),
    })
    .await
    .map_err(fail)?;
    let (token, secret) = issue_token(
        UserName::new("ann"),
        "bench".into(),
        EpochMillis::now(),
        3_600_000,
    );
    node.propose(Command::CreateToken {
        tenant: TenantName::new("acme"),
        token,
    })
    .await
    .map_err(fail)?;

    for (label, id) in [("leader", leader), ("follower", follower)] {
        let address = format!("http://{}", cluster.nodes[&id].address());
        let mut client = ControlPlaneClient::connect(address).await?;
        for (kind_label, kind, secret, runs) in [
            ("token", CredentialKind::AccessToken, secret.as_str(), 300),
            ("password", CredentialKind::Password, "pw", 30),
        ] {
            let mut samples = Vec::new();
            for _ in 0..runs + 5 {
                let request = AuthenticateRequest {
                    tenant: Some("acme".into()),
                    user: Some("ann".to_string().into()),
                    kind: kind as i32,
                    secret: secret.into(),
                };
                let started = Instant::now();
                let reply = client.authenticate(request).await?.into_inner();
                samples.push(started.elapsed());
                assert!(reply.accepted);
            }
            summarize(
                &format!("login check on the {label}, {kind_label}, no cache"),
                samples.split_off(5),
            );
        }
    }

    let link = Arc::new(
        ControlPlaneLink::new(LinkConfig {
            control_plane: cluster
                .nodes
                .values()
                .map(|n| n.address().to_owned())
                .collect(),
            node_id: "bench".into(),
            advertise: "http://127.0.0.1:1".into(),
            credential_cache: Duration::from_secs(60),
        })
        .map_err(|e| anyhow::anyhow!(e))?,
    );
    link.heartbeat().await.map_err(|e| anyhow::anyhow!(e))?;
    let mut samples = Vec::new();
    for _ in 0..1_005 {
        let started = Instant::now();
        let verdict = link
            .authenticate("acme", "ann", Credential::AccessToken, &secret)
            .await;
        samples.push(started.elapsed());
        assert!(matches!(
            verdict,
            data_node::control_plane::LoginVerdict::Accepted { .. }
        ));
    }
    summarize(
        "login check through a data node's link, token, cache warm",
        samples.split_off(5),
    );
    Ok(())
}

async fn failovers(rounds: usize) -> anyhow::Result<()> {
    for round in 1..=rounds {
        let mut cluster = Cluster::start(3).await?;
        let leader = cluster.agreed_leader().await;
        let survivor = *cluster.nodes.keys().find(|id| **id != leader).unwrap();
        let stopped_at = Instant::now();
        if let Some(node) = cluster.nodes.remove(&leader) {
            node.shutdown().await;
        }
        cluster.agreed_leader().await;
        let elected = stopped_at.elapsed();
        loop {
            if cluster.nodes[&survivor]
                .propose(tenant(round))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let writable = stopped_at.elapsed();
        println!(
            "failover round {round}: new leader agreed after {:.0} ms, first write committed after {:.0} ms",
            elected.as_secs_f64() * 1e3,
            writable.as_secs_f64() * 1e3
        );
        cluster.stop().await;
    }
    Ok(())
}

fn summarize(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at =
        |q: usize| samples[(samples.len() * q / 100).min(samples.len() - 1)].as_secs_f64() * 1e6;
    println!(
        "{label:<62} median {:>9.1} µs   p95 {:>9.1} µs",
        at(50),
        at(95)
    );
}
