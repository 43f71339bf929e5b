-- The password reset whose one-time password an e-mail carries (NULL for
-- other e-mails): the account's, and the hash of that reset's one-time
-- password, which tells this reset from a newer one of the same account.
-- The sender withdraws the e-mail instead of sending it once
-- password_resets holds no unexpired reset with that hash (a newer reset
-- was asked for, the reset was used, or it expired), as it does for an
-- invitation's e-mail (V017).
--
-- Expand-only: an older server neither reads nor writes the columns; its
-- reset e-mails are sent as they always were.
ALTER TABLE outbox_messages ADD COLUMN reset_user_id BIGINT;
ALTER TABLE outbox_messages ADD COLUMN reset_otp_hash TEXT;
