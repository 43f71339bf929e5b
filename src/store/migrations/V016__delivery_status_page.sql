-- An endpoint's deliveries of one status, newest first (the deliveries
-- page filtered by status, store/webhooks.cpp ListDeliveries), as a range
-- of this index in its order. Without it the filtered page read every
-- delivery of that status through webhook_deliveries_due and sorted them;
-- without statistics PostgreSQL did so for every status, for a page of 50
-- out of an endpoint's 30,000 deliveries. Expand-only.
CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries (endpoint_id, status, id);
