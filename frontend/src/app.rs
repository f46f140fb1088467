//! The router and the contexts every page reads (language, session).

use crate::components::layout::AppBar;
use crate::i18n::I18n;
use crate::pages::{
    admission_stats, admissions, audit, classes, home::HomePage, imports, login::LoginPage, meetings, members,
    not_found::NotFound, programme_registrations, programmes, rating_stats, ratings, register::RegisterPage, removals,
    transfers, units,
};
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_context(I18n::new());
    provide_context(Session::restore());
    view! {
        <Router>
            <AppBar />
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/dang-nhap") view=LoginPage />
                <Route path=path!("/dang-ky") view=RegisterPage />
                <Route path=path!("/don-vi") view=units::UnitsRootPage />
                <Route path=path!("/don-vi/:id") view=units::UnitPage />
                <Route path=path!("/doan-vien") view=members::MembersPage />
                <Route path=path!("/doan-vien/moi") view=members::NewMemberPage />
                <Route path=path!("/doan-vien/nhap") view=imports::ImportPage />
                <Route path=path!("/doan-vien/nhap/:id") view=imports::ImportJobPage />
                <Route path=path!("/chuyen-sinh-hoat") view=transfers::TransfersPage />
                <Route path=path!("/ket-nap") view=admissions::ApplyPage />
                <Route path=path!("/lop") view=classes::ClassesPage />
                <Route path=path!("/lop/:id") view=classes::ClassPage />
                <Route path=path!("/lop/:id/diem-danh/:session") view=classes::CheckinPage />
                <Route path=path!("/lop/:id/chung-nhan/:enrollment") view=classes::CertificatePage />
                <Route path=path!("/ket-nap/hop-thu") view=admissions::AdmissionInboxPage />
                <Route path=path!("/ket-nap/thong-ke") view=admission_stats::AdmissionStatsPage />
                <Route path=path!("/nhat-ky") view=audit::AuditPage />
                <Route path=path!("/ren-luyen") view=programme_registrations::TrainingPage />
                <Route path=path!("/ren-luyen/chuong-trinh") view=programmes::ProgrammesPage />
                <Route path=path!("/sinh-hoat") view=meetings::MeetingsPage />
                <Route path=path!("/xoa-ten") view=removals::RemovalsPage />
                <Route path=path!("/sinh-hoat/thong-ke") view=meetings::MeetingStatsPage />
                <Route path=path!("/sinh-hoat/:id") view=meetings::MeetingPage />
                <Route path=path!("/sinh-hoat/:id/diem-danh") view=meetings::MeetingCheckinPage />
                <Route path=path!("/xep-loai") view=ratings::RatingsPage />
                <Route path=path!("/xep-loai/thong-ke") view=rating_stats::RatingStatsPage />
                <Route path=path!("/xep-loai/:id") view=ratings::RatingPage />
                <Route path=path!("/doan-vien/:id") view=members::MemberPage />
                // Dues (đoàn phí).
                <Route path=path!("/doan-phi") view=crate::pages::dues::DuesPage />
            </Routes>
        </Router>
    }
}
