-- The reader's usual question, a channel's records of one name in a time window (GET /channels/{id}/messages?name=
-- &from=&to=), newest first with the exact total: messages_channel_time had to visit every record of the channel in
-- the window and test its name, for the page and again for the count. This index holds just the matches, in the
-- page's order. Costs the writer one more index entry per record (docs/BENCHMARKS.md, "Reader").
CREATE INDEX messages_channel_name_time ON messages(channel, name, time, id);
