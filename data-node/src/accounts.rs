//! Accounts: each Snowflake account name is its own isolated engine instance, created on
//! first login. Connections to the same account share its data.

use std::collections::HashMap;

use engine::{Instance, SfResult};
use parking_lot::Mutex;

#[derive(Default)]
pub struct Accounts {
    instances: Mutex<HashMap<String, Instance>>,
}

impl Accounts {
    /// The instance of `account` (case-insensitive, as Snowflake account names are).
    pub fn get_or_create(&self, account: &str) -> SfResult<Instance> {
        let key = account.to_uppercase();
        let mut instances = self.instances.lock();
        if let Some(instance) = instances.get(&key) {
            return Ok(instance.clone());
        }
        let instance = Instance::open_memory(&key)?;
        instances.insert(key, instance.clone());
        Ok(instance)
    }

    pub fn count(&self) -> usize {
        self.instances.lock().len()
    }
}
