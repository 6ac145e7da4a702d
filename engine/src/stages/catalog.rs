//! Named stages and file formats of one account. A temporary one belongs to the session that
//! created it: only that session sees it, it hides a permanent one of the same name there,
//! and it goes when the session ends, as Snowflake's temporary objects do.

use std::collections::BTreeMap;

use parking_lot::Mutex;

use crate::statements::QualifiedName;

/// An object's name, and the session owning it when it is temporary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ObjectKey {
    pub database: String,
    pub schema: String,
    pub name: String,
    pub owner: Option<i64>,
}

impl ObjectKey {
    pub(crate) fn new(name: &QualifiedName, owner: Option<i64>) -> ObjectKey {
        ObjectKey {
            database: name.database.clone(),
            schema: name.schema.clone(),
            name: name.name.clone(),
            owner,
        }
    }
}

pub(crate) struct Scoped<V> {
    objects: Mutex<BTreeMap<ObjectKey, V>>,
}

impl<V> Default for Scoped<V> {
    fn default() -> Self {
        Scoped {
            objects: Mutex::default(),
        }
    }
}

impl<V: Clone> Scoped<V> {
    /// What `session` finds under `name`: its own temporary object first.
    pub(crate) fn visible(&self, name: &QualifiedName, session: i64) -> Option<(ObjectKey, V)> {
        let objects = self.objects.lock();
        [Some(session), None].into_iter().find_map(|owner| {
            let key = ObjectKey::new(name, owner);
            objects.get(&key).map(|value| (key, value.clone()))
        })
    }

    pub(crate) fn contains(&self, key: &ObjectKey) -> bool {
        self.objects.lock().contains_key(key)
    }

    pub(crate) fn insert(&self, key: ObjectKey, value: V) {
        self.objects.lock().insert(key, value);
    }

    /// Removes what `session` finds under `name`.
    pub(crate) fn remove_visible(&self, name: &QualifiedName, session: i64) -> Option<ObjectKey> {
        let (key, _) = self.visible(name, session)?;
        self.objects.lock().remove(&key);
        Some(key)
    }

    /// Removes the session's temporary objects, and says which they were.
    pub(crate) fn end_session(&self, session: i64) -> Vec<ObjectKey> {
        let mut objects = self.objects.lock();
        let ended: Vec<ObjectKey> = objects
            .keys()
            .filter(|key| key.owner == Some(session))
            .cloned()
            .collect();
        for key in &ended {
            objects.remove(key);
        }
        ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> QualifiedName {
        QualifiedName {
            database: "DB".into(),
            schema: "S".into(),
            name: n.into(),
        }
    }

    #[test]
    fn temporary_objects_are_their_sessions_own() {
        let scoped = Scoped::default();
        scoped.insert(ObjectKey::new(&name("X"), None), "permanent");
        scoped.insert(ObjectKey::new(&name("X"), Some(1)), "temporary");
        assert_eq!(scoped.visible(&name("X"), 1).unwrap().1, "temporary");
        assert_eq!(scoped.visible(&name("X"), 2).unwrap().1, "permanent");
        assert_eq!(scoped.end_session(1).len(), 1);
        assert_eq!(scoped.visible(&name("X"), 1).unwrap().1, "permanent");
        assert!(scoped.remove_visible(&name("X"), 2).is_some());
        assert!(scoped.visible(&name("X"), 2).is_none());
    }
}
