//! Calendar dates, `YYYY-MM-DD`, validated.

use std::fmt;

/// A calendar date, `YYYY-MM-DD`, validated (month lengths and leap years).
///
/// # Examples
///
/// ```
/// use pollinate::Date;
///
/// let d: Date = "2024-02-29".parse().unwrap();
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert!("2023-02-29".parse::<Date>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// A date string that is not a real `YYYY-MM-DD` date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidDate;

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a real date as YYYY-MM-DD")
    }
}

impl std::error::Error for InvalidDate {}

impl Date {
    /// A date from its parts.
    ///
    /// # Errors
    ///
    /// [`InvalidDate`] when the day does not exist (month 13, 31 April, 29 February of a common
    /// year) or the year is before 1900 or after 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, InvalidDate> {
        // Small enough to write out; a calendar crate would add a dependency for one check.
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(InvalidDate),
        };
        if !(1900..=9999).contains(&year) || day == 0 || day > days {
            return Err(InvalidDate);
        }
        Ok(Date { year, month, day })
    }
    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    /// Serializes as `YYYY-MM-DD`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::str::FromStr for Date {
    type Err = InvalidDate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(InvalidDate);
        }
        let digits = |r: std::ops::Range<usize>| -> Result<u16, InvalidDate> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| InvalidDate)
            } else {
                Err(InvalidDate)
            }
        };
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        Date::new(y, m as u8, d as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_validate_calendar() {
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert!("1900-02-29".parse::<Date>().is_err());
        assert!("2024-04-31".parse::<Date>().is_err());
        assert!("2024-4-30".parse::<Date>().is_err());
        assert!("2024-13-01".parse::<Date>().is_err());
        assert!("20x4-01-01".parse::<Date>().is_err());
        assert!("2024-01-01".parse::<Date>().unwrap() < "2024-01-02".parse::<Date>().unwrap());
    }
}
