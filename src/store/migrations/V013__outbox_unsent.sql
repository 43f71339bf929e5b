-- The mail sender's claim (store/outbox.cpp ClaimDue) walks the unsent
-- messages in the order it takes them: a range of this index, no sort, and
-- no step over the messages already sent, which outbox_due (sent_at first)
-- still holds as dead entries on PostgreSQL until a vacuum (a bitmap scan
-- never marks them dead). A message leaves this index when it is sent.
-- Expand-only: outbox_due stays until a contracting release drops it.
CREATE INDEX outbox_unsent ON outbox_messages (next_attempt_at, id) WHERE sent_at IS NULL;
