-- Assistant names are unique within an organization, ignoring ASCII case, so
-- that people (and `roster leads import`) can name an assistant unambiguously.
CREATE UNIQUE INDEX assistants_by_name ON assistants (organization_id, LOWER(name));
