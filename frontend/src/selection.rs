//! The ticks of an assignment screen and the seat counter they move.
//!
//! The saved state is what the server said; the ticks are what the administrator
//! wants. The counter is `available − newly ticked + newly unticked` and never goes
//! below zero: a box cannot be ticked once it would.

use std::collections::BTreeSet;

use affecto_api_types::Id;

/// The people listed on an assignment screen, in display order, with their saved
/// state and the administrator's pending ticks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    order: Vec<Id>,
    saved: BTreeSet<Id>,
    ticked: BTreeSet<Id>,
    available: u32,
}

/// What a "select all" click did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectAll {
    /// Every listed person is now ticked.
    Everyone,
    /// Seats ran out: `ticked` people are ticked, `left_out` could not be.
    Partly { ticked: usize, left_out: usize },
    /// Everyone was unticked.
    Cleared,
}

impl Selection {
    /// A selection in the saved state: `people` in display order with whether each
    /// holds a licence, and the seats still available for the audience.
    pub fn new(people: impl IntoIterator<Item = (Id, bool)>, available: u32) -> Self {
        let mut order = Vec::new();
        let mut saved = BTreeSet::new();
        for (id, assigned) in people {
            order.push(id);
            if assigned {
                saved.insert(id);
            }
        }
        let ticked = saved.clone();
        Self {
            order,
            saved,
            ticked,
            available,
        }
    }

    /// Seats left if the pending ticks were saved.
    pub fn remaining(&self) -> u32 {
        let newly_ticked = self.ticked.difference(&self.saved).count();
        let newly_unticked = self.saved.difference(&self.ticked).count();
        let freed = u32::try_from(newly_unticked).unwrap_or(u32::MAX);
        let taken = u32::try_from(newly_ticked).unwrap_or(u32::MAX);
        self.available.saturating_add(freed).saturating_sub(taken)
    }

    /// Whether `id` is ticked.
    pub fn is_ticked(&self, id: Id) -> bool {
        self.ticked.contains(&id)
    }

    /// Whether `id`'s box may be clicked: a ticked box always, an unticked one only
    /// while a seat is left.
    pub fn can_toggle(&self, id: Id) -> bool {
        self.is_ticked(id) || self.remaining() > 0
    }

    /// Ticks or unticks `id`; refuses (returns false) when no seat is left for it.
    pub fn toggle(&mut self, id: Id) -> bool {
        if self.ticked.remove(&id) {
            return true;
        }
        if !self.can_toggle(id) {
            return false;
        }
        self.ticked.insert(id);
        true
    }

    /// Whether nothing more could be ticked: everyone is, or no seat is left.
    fn nothing_left_to_tick(&self) -> bool {
        let everyone = self.order.iter().all(|id| self.ticked.contains(id));
        everyone || (self.remaining() == 0 && !self.ticked.is_empty())
    }

    /// "Tout sélectionner / désélectionner": ticks as many people as seats allow, in
    /// list order; if nothing more could be ticked, unticks everyone instead.
    pub fn select_all(&mut self) -> SelectAll {
        if self.nothing_left_to_tick() {
            self.ticked.clear();
            return SelectAll::Cleared;
        }
        for id in &self.order {
            if self.ticked.contains(id) {
                continue;
            }
            if self.remaining() == 0 {
                break;
            }
            self.ticked.insert(*id);
        }
        let left_out = self.order.len() - self.ticked.len();
        if left_out == 0 {
            SelectAll::Everyone
        } else {
            SelectAll::Partly {
                ticked: self.ticked.len(),
                left_out,
            }
        }
    }

    /// Back to the saved state (ANNULER).
    pub fn reset(&mut self) {
        self.ticked = self.saved.clone();
    }

    /// Whether some tick differs from the saved state.
    pub fn has_changes(&self) -> bool {
        self.ticked != self.saved
    }

    /// The people to assign and to unassign, in list order, to save the ticks.
    pub fn change(&self) -> (Vec<Id>, Vec<Id>) {
        let assign = self
            .order
            .iter()
            .copied()
            .filter(|id| self.ticked.contains(id) && !self.saved.contains(id));
        let unassign = self
            .order
            .iter()
            .copied()
            .filter(|id| self.saved.contains(id) && !self.ticked.contains(id));
        (assign.collect(), unassign.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_of_five(held: &[Id], available: u32) -> Selection {
        Selection::new((1..=5).map(|id| (id, held.contains(&id))), available)
    }

    #[test]
    fn the_counter_moves_with_the_ticks() {
        let mut selection = class_of_five(&[1], 3);
        selection.toggle(2);
        assert_eq!(selection.remaining(), 2);
        selection.toggle(1);
        assert_eq!(selection.remaining(), 3);
        assert_eq!(selection.change(), (vec![2], vec![1]));
    }

    #[test]
    fn no_box_can_be_ticked_once_the_counter_is_zero() {
        let mut selection = class_of_five(&[], 1);
        assert!(selection.toggle(1));
        assert_eq!(selection.remaining(), 0);
        assert!(!selection.can_toggle(2));
        assert!(!selection.toggle(2));
        assert_eq!(selection.remaining(), 0);
    }

    #[test]
    fn unticking_a_saved_licence_frees_a_seat_for_someone_else() {
        let mut selection = class_of_five(&[1], 0);
        assert!(!selection.can_toggle(2));
        selection.toggle(1);
        assert!(selection.toggle(2));
        assert_eq!(selection.remaining(), 0);
    }

    #[test]
    fn a_freed_seat_given_to_someone_else_cannot_be_taken_back_twice() {
        let mut selection = class_of_five(&[1], 0);
        selection.toggle(1);
        selection.toggle(2);
        assert!(!selection.toggle(1));
        assert_eq!(selection.change(), (vec![2], vec![1]));
    }

    #[test]
    fn select_all_stops_at_the_seats_left_in_list_order() {
        let mut selection = class_of_five(&[2], 2);
        let outcome = selection.select_all();
        assert_eq!(
            outcome,
            SelectAll::Partly {
                ticked: 3,
                left_out: 2
            }
        );
        assert_eq!(selection.change(), (vec![1, 3], vec![]));
        assert_eq!(selection.remaining(), 0);
    }

    #[test]
    fn select_all_then_again_unticks_everyone() {
        let mut selection = class_of_five(&[2], 10);
        assert_eq!(selection.select_all(), SelectAll::Everyone);
        assert_eq!(selection.select_all(), SelectAll::Cleared);
        assert_eq!(selection.change(), (vec![], vec![2]));
        assert_eq!(selection.remaining(), 11);
    }

    #[test]
    fn reset_restores_the_saved_state() {
        let mut selection = class_of_five(&[4], 3);
        selection.toggle(1);
        selection.toggle(4);
        assert!(selection.has_changes());
        selection.reset();
        assert!(!selection.has_changes());
        assert_eq!(selection.remaining(), 3);
    }
}
