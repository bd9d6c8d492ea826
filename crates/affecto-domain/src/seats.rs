use serde::{Deserialize, Serialize};

/// The seats of a licence pool, or of several pools added together.
///
/// `available = purchased − assigned` holds by construction: the type refuses an
/// assigned count above the purchased one, as the database does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatCount {
    purchased: u32,
    assigned: u32,
}

/// A request that would hand out more licences than are available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{requested} licences requested but only {available} available")]
pub struct SeatShortage {
    pub available: u32,
    pub requested: u32,
}

impl SeatCount {
    /// Returns `None` when more seats are assigned than were purchased.
    pub fn new(purchased: u32, assigned: u32) -> Option<Self> {
        (assigned <= purchased).then_some(Self {
            purchased,
            assigned,
        })
    }

    pub fn purchased(self) -> u32 {
        self.purchased
    }

    pub fn assigned(self) -> u32 {
        self.assigned
    }

    pub fn available(self) -> u32 {
        self.purchased - self.assigned
    }

    /// Checks that `requested` more seats can be taken.
    pub fn can_take(self, requested: u32) -> Result<(), SeatShortage> {
        if requested <= self.available() {
            Ok(())
        } else {
            Err(SeatShortage {
                available: self.available(),
                requested,
            })
        }
    }
}

impl std::ops::Add for SeatCount {
    type Output = SeatCount;
    fn add(self, other: SeatCount) -> SeatCount {
        SeatCount {
            purchased: self.purchased + other.purchased,
            assigned: self.assigned + other.assigned,
        }
    }
}

impl std::iter::Sum for SeatCount {
    fn sum<I: Iterator<Item = SeatCount>>(iter: I) -> Self {
        iter.fold(SeatCount::default(), |total, seats| total + seats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn available_is_purchased_minus_assigned() {
        let seats = SeatCount::new(58, 53).unwrap();
        assert_eq!(seats.available(), 5);
    }

    #[test]
    fn more_assigned_than_purchased_is_not_a_seat_count() {
        assert_eq!(SeatCount::new(4, 5), None);
    }

    #[test]
    fn taking_more_than_available_names_both_figures() {
        let seats = SeatCount::new(10, 8).unwrap();
        assert_eq!(seats.can_take(2), Ok(()));
        assert_eq!(
            seats.can_take(3),
            Err(SeatShortage {
                available: 2,
                requested: 3
            })
        );
    }

    #[test]
    fn pools_add_up_to_a_product_total() {
        let total: SeatCount = [
            SeatCount::new(85, 85).unwrap(),
            SeatCount::new(4, 4).unwrap(),
        ]
        .into_iter()
        .sum();
        assert_eq!(
            (total.purchased(), total.available(), total.assigned()),
            (89, 0, 89)
        );
    }
}
