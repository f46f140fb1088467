//! Plausible Vietnamese people for demo data and benchmarks: names with diacritics, birth dates
//! that fit the Union's ages, CCCDs whose digits agree with sex and birth year, mobile numbers.
//! Deterministic for a given seed.

use chrono::{Datelike, Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::api::members::{earliest_joining_day, CreateMemberRequest, MemberProfile};
use shared::ids::OrgUnitId;

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý",
];
const MIDDLE_MALE: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Gia", "Công"];
const MIDDLE_FEMALE: &[&str] = &["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Hồng", "Bảo", "Khánh"];
const GIVEN_MALE: &[&str] = &[
    "Anh", "Bảo", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hùng", "Khang", "Khôi", "Long", "Nam", "Phúc", "Quân", "Sơn",
    "Tâm", "Thắng", "Trung", "Tuấn", "Việt",
];
const GIVEN_FEMALE: &[&str] = &[
    "An", "Ánh", "Châu", "Diệp", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Phương",
    "Quỳnh", "Thảo", "Trang", "Uyên", "Vy", "Yến",
];
const ETHNICITIES: &[&str] = &["Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Ê Đê", "Chăm", "Raglai", "Hoa"];
const OCCUPATIONS: &[&str] =
    &["Học sinh", "Sinh viên", "Công nhân", "Nông dân", "Viên chức", "Lao động tự do", "Kinh doanh"];

/// Makes people.
pub struct People {
    rng: StdRng,
    serial: u32,
}

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

impl People {
    /// A generator; the same seed gives the same people.
    pub fn new(seed: u64) -> People {
        People { rng: StdRng::seed_from_u64(seed), serial: 0 }
    }

    /// A full name of the given sex.
    pub fn name(&mut self, female: bool) -> String {
        let family = pick(&mut self.rng, FAMILY);
        let (middle, given) = if female {
            (pick(&mut self.rng, MIDDLE_FEMALE), pick(&mut self.rng, GIVEN_FEMALE))
        } else {
            (pick(&mut self.rng, MIDDLE_MALE), pick(&mut self.rng, GIVEN_MALE))
        };
        format!("{family} {middle} {given}")
    }

    /// A member record for a branch: aged 16–30 today, joined between 15 years and a day and today.
    pub fn member(&mut self, unit: OrgUnitId, today: NaiveDate, province_code: &str) -> CreateMemberRequest {
        let female = self.rng.random_bool(0.52);
        let full_name = self.name(female);
        self.member_named(unit, today, province_code, &full_name, female)
    }

    /// A member record with a given name and sex.
    pub fn member_named(
        &mut self,
        unit: OrgUnitId,
        today: NaiveDate,
        province_code: &str,
        full_name: &str,
        female: bool,
    ) -> CreateMemberRequest {
        let age_days = self.rng.random_range(16 * 365 + 10..30 * 365 - 10);
        let born = today - Days::new(age_days);
        let first_day = earliest_joining_day(born).unwrap_or(today).min(today);
        let span = (today - first_day).num_days().max(0) as u64;
        let joined = first_day + Days::new(self.rng.random_range(0..=span.min(5 * 365)));
        self.serial += 1;
        let century_sex = match (born.year() >= 2000, female) {
            (false, false) => 0,
            (false, true) => 1,
            (true, false) => 2,
            (true, true) => 3,
        };
        let national_id = format!("{province_code}{century_sex}{:02}{:06}", born.year() % 100, self.serial % 1_000_000);
        let phone = format!(
            "0{}{:08}",
            ["3", "5", "7", "8", "9"][self.rng.random_range(0..5)],
            self.rng.random_range(0..100_000_000u32)
        );
        CreateMemberRequest {
            full_name: full_name.to_owned(),
            date_of_birth: born.format("%Y-%m-%d").to_string(),
            gender: if female { "female" } else { "male" }.to_owned(),
            national_id: Some(national_id),
            phone: Some(phone),
            email: None,
            unit_id: Some(unit),
            joined_on: joined.format("%Y-%m-%d").to_string(),
            card_number: None,
            party_status: None,
            party_joined_on: None,
            login: None,
            profile: MemberProfile {
                ethnicity: Some(pick(&mut self.rng, ETHNICITIES).to_owned()),
                religion: Some("Không".to_owned()),
                hometown: Some("Khánh Hòa".to_owned()),
                education: Some("12/12".to_owned()),
                occupation: Some(pick(&mut self.rng, OCCUPATIONS).to_owned()),
                ..Default::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_members_pass_the_shared_validation() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut people = People::new(7);
        for _ in 0..500 {
            let m = people.member(OrgUnitId(1), today, "056");
            if let Err(e) = m.validate(today) {
                panic!("{m:?}: {e:?}");
            }
        }
    }
}
