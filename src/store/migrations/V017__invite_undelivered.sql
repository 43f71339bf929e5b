-- An invitation whose e-mail the mail server refused (its recipient, five
-- times) and the sender gave up, with it the one-time password it carried:
-- the members page tells admins, who check the address and resend.
--
-- outbox_messages.invitation_user_id and invitation_expires_at name the
-- pending invitation an e-mail carries (NULL for other e-mails). A given-up
-- invitation e-mail sets the member's invite_undelivered (why, in words for
-- an admin) and invite_undelivered_for (that invitation's expiry), and only
-- while it is the member's pending invitation. The reason counts while
-- invite_undelivered_for is the invitation's expiry: a resend moves the
-- expiry, so any server's resend, a release before's during a rolling
-- upgrade too, ends it without a trigger.
--
-- Expand-only: older servers neither read nor write the columns.
ALTER TABLE memberships ADD COLUMN invite_undelivered TEXT;
ALTER TABLE memberships ADD COLUMN invite_undelivered_for BIGINT;
ALTER TABLE outbox_messages ADD COLUMN invitation_user_id BIGINT;
ALTER TABLE outbox_messages ADD COLUMN invitation_expires_at BIGINT;
