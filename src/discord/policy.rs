//! Who may use the moderators' command on Discord: moderator roles, or a permission.

use std::collections::HashSet;

use serenity::all::Permissions;

use crate::config::ModeratorPermission;
use crate::conversation::Notice;

pub(crate) fn permission_bits(permission: ModeratorPermission) -> Permissions {
    match permission {
        ModeratorPermission::ManageMessages => Permissions::MANAGE_MESSAGES,
        ModeratorPermission::ManageGuild => Permissions::MANAGE_GUILD,
        ModeratorPermission::Administrator => Permissions::ADMINISTRATOR,
    }
}

pub(crate) struct Policy {
    roles: HashSet<u64>,
    permission: Permissions,
}

impl Policy {
    pub(crate) fn new(
        roles: impl IntoIterator<Item = u64>,
        permission: ModeratorPermission,
    ) -> Self {
        Self {
            roles: roles.into_iter().collect(),
            permission: permission_bits(permission),
        }
    }

    /// Checks a member: in a server, holding a moderator role (or, when no role is
    /// configured, the moderator permission in this channel; Discord's own check can be
    /// relaxed by server admins, so it is not trusted alone).
    pub(crate) fn check(
        &self,
        guild: Option<u64>,
        roles: &[u64],
        permissions: Option<Permissions>,
    ) -> Result<(), Notice> {
        if guild.is_none() {
            return Err(Notice::NotInAServer);
        }
        let allowed = if self.roles.is_empty() {
            permissions.is_some_and(|p| p.contains(self.permission) || p.administrator())
        } else {
            roles.iter().any(|role| self.roles.contains(role))
        };
        if allowed {
            Ok(())
        } else {
            Err(Notice::NotAModerator)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_moderators_in_a_server_pass() {
        let by_role = Policy::new([42], ModeratorPermission::ManageMessages);
        assert_eq!(
            by_role.check(None, &[42], Some(Permissions::all())),
            Err(Notice::NotInAServer)
        );
        assert_eq!(by_role.check(Some(1), &[7, 42], None), Ok(()));
        assert_eq!(
            by_role.check(Some(1), &[7], Some(Permissions::all())),
            Err(Notice::NotAModerator),
            "with roles configured, the role is required"
        );
        let by_permission = Policy::new([], ModeratorPermission::ManageMessages);
        assert_eq!(
            by_permission.check(Some(1), &[], Some(Permissions::MANAGE_MESSAGES)),
            Ok(())
        );
        assert_eq!(
            by_permission.check(Some(1), &[], Some(Permissions::SEND_MESSAGES)),
            Err(Notice::NotAModerator)
        );
        assert_eq!(
            by_permission.check(Some(1), &[], None),
            Err(Notice::NotAModerator)
        );
    }
}
