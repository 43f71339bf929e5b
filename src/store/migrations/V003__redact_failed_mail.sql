-- Messages given up on for good no longer keep their text (it can hold a
-- one-time password); the sender now clears it when it gives up. This clears
-- the ones given up on before. 9223372036854775807 is kGaveUp.
UPDATE outbox_messages SET message = ''
 WHERE sent_at IS NULL AND next_attempt_at = 9223372036854775807;
