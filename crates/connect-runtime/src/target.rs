//! A connector's target state (Kafka's `TargetState`): what the user asked it to be. Tasks
//! follow it through a watch channel; they check it between polls, never in the middle of one.

use tokio::sync::watch;

/// What a connector (and its tasks) should be doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TargetState {
    /// Running (`RUNNING` in REST).
    #[default]
    Started,
    /// Created but not processing: tasks keep their resources and wait.
    Paused,
    /// The connector is not running and has no tasks.
    Stopped,
}

impl TargetState {
    /// The `initial_state` of a create request (`RUNNING`, `PAUSED` or `STOPPED`, in any
    /// case); `None` for anything else.
    pub fn from_initial_state(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "RUNNING" => Some(TargetState::Started),
            "PAUSED" => Some(TargetState::Paused),
            "STOPPED" => Some(TargetState::Stopped),
            _ => None,
        }
    }
}

/// The sending side, held by the worker.
pub type TargetSender = watch::Sender<TargetState>;
/// The receiving side, held by each task loop.
pub type TargetReceiver = watch::Receiver<TargetState>;

/// A channel starting at `initial`.
pub fn channel(initial: TargetState) -> (TargetSender, TargetReceiver) {
    watch::channel(initial)
}

/// Whether the connector's tasks should hold still now (a closed channel counts as running:
/// shutdown comes through the task's cancellation token).
pub fn is_paused(target: &TargetReceiver) -> bool {
    *target.borrow() == TargetState::Paused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_states_are_case_insensitive() {
        assert_eq!(
            TargetState::from_initial_state("running"),
            Some(TargetState::Started)
        );
        assert_eq!(
            TargetState::from_initial_state("Paused"),
            Some(TargetState::Paused)
        );
        assert_eq!(
            TargetState::from_initial_state("STOPPED"),
            Some(TargetState::Stopped)
        );
        assert_eq!(TargetState::from_initial_state("DESTROYED"), None);
    }

    #[test]
    fn tasks_see_pauses() {
        let (tx, rx) = channel(TargetState::Started);
        assert!(!is_paused(&rx));
        tx.send_replace(TargetState::Paused);
        assert!(is_paused(&rx));
    }
}
