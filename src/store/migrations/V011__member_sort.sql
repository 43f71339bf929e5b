-- The member list's sort=joined and sort=-joined (issue 16): one range of
-- this index per page, forward or backward, members who never joined (NULL)
-- in a range of their own after the others. Sorting by name keeps
-- memberships_page; last sign-in lives on the account and lead counts are
-- counted, so neither has an index of one organization's members.
-- Expand-only.
CREATE INDEX memberships_by_joined ON memberships (organization_id, joined_at, user_id);
