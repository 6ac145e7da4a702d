//! openraft's own storage test suite against the redb-backed log store and state machine.

use control_plane::store::{self, LogStore, StateMachineStore};
use control_plane::types::{StorageError, TypeConfig};
use openraft::testing::{StoreBuilder, Suite};
use tempfile::TempDir;

struct RedbStoreBuilder;

impl StoreBuilder<TypeConfig, LogStore, StateMachineStore, TempDir> for RedbStoreBuilder {
    async fn build(&self) -> Result<(TempDir, LogStore, StateMachineStore), StorageError> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (log, state_machine) = store::open(dir.path()).await?;
        Ok((dir, log, state_machine))
    }
}

#[test]
fn the_redb_store_passes_openrafts_storage_suite() {
    Suite::test_all(RedbStoreBuilder).expect("storage suite");
}
