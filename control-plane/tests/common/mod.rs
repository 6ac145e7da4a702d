//! An in-process control-plane cluster on loopback ports, for tests.

#![allow(dead_code)]

use control_plane::{ControlNode, NodeConfig, RaftTiming};
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Short clocks so that elections and lease expiry take well under a second.
pub const TIMING: RaftTiming = RaftTiming {
    heartbeat_ms: 50,
    election_min_ms: 300,
    election_max_ms: 600,
    snapshot_every: 1_000,
};
pub const LEASE_TTL: Duration = Duration::from_millis(800);
/// Every test node's admin token.
pub const ADMIN_TOKEN: &str = "test-admin-token";

pub struct TestCluster {
    pub nodes: BTreeMap<u64, ControlNode>,
    dirs: BTreeMap<u64, TempDir>,
    addresses: BTreeMap<u64, SocketAddr>,
    pub timing: RaftTiming,
}

impl TestCluster {
    /// Starts `size` nodes, bootstraps them as one cluster and waits for a leader.
    pub async fn start(size: u64) -> Self {
        Self::start_with(size, TIMING).await
    }

    pub async fn start_with(size: u64, timing: RaftTiming) -> Self {
        let mut cluster = Self {
            nodes: BTreeMap::new(),
            dirs: BTreeMap::new(),
            addresses: BTreeMap::new(),
            timing,
        };
        for id in 1..=size {
            cluster.launch(id).await;
        }
        let members = cluster
            .nodes
            .iter()
            .map(|(id, node)| (*id, node.address().to_owned()))
            .collect();
        assert!(cluster.nodes[&1].initialize(members).await.unwrap());
        cluster.leader().await;
        cluster
    }

    /// Starts node `id` (again, on its old port and data directory if it ran before).
    pub async fn launch(&mut self, id: u64) {
        let dir = self
            .dirs
            .entry(id)
            .or_insert_with(|| tempfile::tempdir().expect("temporary directory"));
        let listen = self
            .addresses
            .get(&id)
            .copied()
            .unwrap_or_else(|| "127.0.0.1:0".parse().unwrap());
        let mut config = NodeConfig::new(id, listen, dir.path().to_path_buf());
        config.timing = self.timing;
        config.lease_ttl = LEASE_TTL;
        config.admin_token = Some(ADMIN_TOKEN.to_owned());
        let node = ControlNode::start(config).await.expect("node starts");
        self.addresses.insert(id, node.address().parse().unwrap());
        self.nodes.insert(id, node);
    }

    pub fn node(&self, id: u64) -> &ControlNode {
        &self.nodes[&id]
    }

    pub fn address(&self, id: u64) -> String {
        self.addresses[&id].to_string()
    }

    /// Stops a node as a crash would look to its peers (its data directory stays).
    pub async fn kill(&mut self, id: u64) {
        if let Some(node) = self.nodes.remove(&id) {
            node.shutdown().await;
        }
    }

    pub async fn shutdown(mut self) {
        let ids: Vec<u64> = self.nodes.keys().copied().collect();
        for id in ids {
            self.kill(id).await;
        }
    }

    /// Waits until every running node names the same leader, itself running, and returns it.
    pub async fn leader(&self) -> u64 {
        let mut agreed = None;
        wait_until("an agreed leader", Duration::from_secs(15), || {
            let leaders: Vec<Option<u64>> = self
                .nodes
                .values()
                .map(|node| node.raft().metrics().borrow().current_leader)
                .collect();
            agreed = match leaders.first() {
                Some(Some(leader))
                    if leaders.iter().all(|l| *l == Some(*leader))
                        && self.nodes.contains_key(leader) =>
                {
                    Some(*leader)
                }
                _ => None,
            };
            std::future::ready(agreed.is_some())
        })
        .await;
        agreed.unwrap()
    }

    pub fn follower_of(&self, leader: u64) -> u64 {
        *self
            .nodes
            .keys()
            .find(|id| **id != leader)
            .expect("a follower")
    }
}

/// Polls `condition` until it holds, failing the test after `timeout`.
pub async fn wait_until<F, Fut>(what: &str, timeout: Duration, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !condition().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
