//! The organisation tree's vocabulary: kinds of unit, sectors, and which kind may sit under which.

use crate::Lang;
use serde::{Deserialize, Serialize};

/// The kind of an org unit (level in the Union).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Trung ương Đoàn.
    Central,
    /// Tỉnh đoàn / Thành đoàn.
    Province,
    /// Đoàn khối and equivalent blocs directly under the centre or a province.
    Bloc,
    /// Huyện/Quận/Thị/Thành đoàn (abolished in the territorial branch on 1 July 2025; kept for history).
    District,
    /// Đoàn cơ sở (a commune, ward, school, company…).
    Grassroots,
    /// Liên chi đoàn / Đoàn bộ phận.
    Section,
    /// Chi đoàn (a Chi đoàn cơ sở when placed directly under a province, bloc or district).
    Branch,
}

impl OrgKind {
    /// Every kind, from the top of the tree down.
    pub const ALL: [OrgKind; 7] = [
        OrgKind::Central,
        OrgKind::Province,
        OrgKind::Bloc,
        OrgKind::District,
        OrgKind::Grassroots,
        OrgKind::Section,
        OrgKind::Branch,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Central => "central",
            OrgKind::Province => "province",
            OrgKind::Bloc => "bloc",
            OrgKind::District => "district",
            OrgKind::Grassroots => "grassroots",
            OrgKind::Section => "section",
            OrgKind::Branch => "branch",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OrgKind::Central => lang.pick("Trung ương Đoàn", "Central committee"),
            OrgKind::Province => lang.pick("Tỉnh/Thành đoàn", "Province"),
            OrgKind::Bloc => lang.pick("Đoàn khối", "Bloc"),
            OrgKind::District => lang.pick("Huyện/Quận đoàn", "District"),
            OrgKind::Grassroots => lang.pick("Đoàn cơ sở", "Grassroots unit"),
            OrgKind::Section => lang.pick("Liên chi đoàn / Đoàn bộ phận", "Section"),
            OrgKind::Branch => lang.pick("Chi đoàn", "Branch"),
        }
    }

    /// Whether a unit of kind `child` may be created directly under this kind.
    pub fn can_contain(self, child: OrgKind) -> bool {
        use OrgKind::*;
        match self {
            Central => matches!(child, Province | Bloc),
            Province | Bloc => matches!(child, District | Grassroots | Branch),
            District => matches!(child, Grassroots | Branch),
            Grassroots => matches!(child, Section | Branch),
            Section => matches!(child, Branch),
            Branch => false,
        }
    }
}

/// The sector (khối) leaders report by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Trường học.
    School,
    /// Địa bàn dân cư.
    Residential,
    /// Doanh nghiệp.
    Enterprise,
    /// Hành chính sự nghiệp.
    PublicAdmin,
    /// Lực lượng vũ trang.
    ArmedForces,
    /// Anything else, and mixed units (a province).
    Other,
}

impl Sector {
    /// Every sector.
    pub const ALL: [Sector; 6] = [
        Sector::School,
        Sector::Residential,
        Sector::Enterprise,
        Sector::PublicAdmin,
        Sector::ArmedForces,
        Sector::Other,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::School => "school",
            Sector::Residential => "residential",
            Sector::Enterprise => "enterprise",
            Sector::PublicAdmin => "public_admin",
            Sector::ArmedForces => "armed_forces",
            Sector::Other => "other",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Sector::School => lang.pick("Trường học", "School"),
            Sector::Residential => lang.pick("Địa bàn dân cư", "Residential area"),
            Sector::Enterprise => lang.pick("Doanh nghiệp", "Enterprise"),
            Sector::PublicAdmin => lang.pick("Hành chính sự nghiệp", "Public administration"),
            Sector::ArmedForces => lang.pick("Lực lượng vũ trang", "Armed forces"),
            Sector::Other => lang.pick("Khác", "Other"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branch_is_a_leaf_and_a_province_sits_under_the_centre_only() {
        assert!(OrgKind::ALL.iter().all(|k| !OrgKind::Branch.can_contain(*k)));
        assert!(OrgKind::Central.can_contain(OrgKind::Province));
        assert!(!OrgKind::Grassroots.can_contain(OrgKind::Province));
        assert!(OrgKind::Grassroots.can_contain(OrgKind::Branch));
        assert!(OrgKind::Province.can_contain(OrgKind::Branch), "chi đoàn cơ sở");
    }

    #[test]
    fn names_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(k));
        }
        for s in Sector::ALL {
            assert_eq!(Sector::parse(s.as_str()), Some(s));
        }
    }
}
