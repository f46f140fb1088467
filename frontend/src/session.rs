//! Who is signed in, shared by every page: the `/me` answer, and whether the session restore
//! after a page load has finished. Role checks here only decide what to show; the server decides what is allowed.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::auth::MeResponse;
use shared::ids::OrgUnitId;
use shared::roles::Role;

/// The session context.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The caller, once known.
    pub me: RwSignal<Option<MeResponse>>,
    /// False until the restore after a page load has finished.
    pub ready: RwSignal<bool>,
}

impl Session {
    /// A session that restores itself from the refresh cookie.
    pub fn restore() -> Session {
        let s = Session { me: RwSignal::new(None), ready: RwSignal::new(false) };
        spawn_local(async move {
            if api::may_have_session() && api::refresh().await.is_ok() {
                if let Ok(me) = api::me().await {
                    s.me.set(Some(me));
                }
            }
            s.ready.set(true);
        });
        s
    }

    /// Reloads `/me` (after sign-in or a role change).
    pub async fn reload(&self) {
        match api::me().await {
            Ok(me) => self.me.set(Some(me)),
            Err(_) => self.me.set(None),
        }
    }

    /// Signs out here and on the server.
    pub fn sign_out(&self) {
        let me = self.me;
        spawn_local(async move {
            let _ = api::logout().await;
            me.set(None);
        });
    }
}

/// The highest role the caller holds over a unit whose ancestors-and-self are `path` (admins: everywhere).
pub fn best_role(me: &MeResponse, path: &[OrgUnitId]) -> Option<Role> {
    me.roles.iter().filter(|r| r.role == Role::Admin || path.contains(&r.org_unit_id)).map(|r| r.role).max()
}

/// The highest role the caller holds anywhere (what their home page is about).
pub fn top_role(me: &MeResponse) -> Option<Role> {
    me.roles.iter().map(|r| r.role).max()
}

/// The unit of the caller's highest cadre role (or above): where a cadre's pages open.
pub fn cadre_unit(me: &MeResponse) -> Option<OrgUnitId> {
    me.roles.iter().filter(|r| r.role.covers(Role::Cadre)).max_by_key(|r| r.role).map(|r| r.org_unit_id)
}

/// The unit a page is about: `?don-vi=`, else the unit of the caller's highest cadre role.
pub fn page_unit() -> Memo<Option<OrgUnitId>> {
    let query = leptos_router::hooks::use_query_map();
    let session = use_session();
    Memo::new(move |_| {
        query
            .with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId))
            .or_else(|| session.me.with(|me| me.as_ref().and_then(cadre_unit)))
    })
}

/// The session context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
