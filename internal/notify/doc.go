// Package notify tells people in Slack what tiyan found: a digest after every sweep or run,
// reminders to units whose problems are past their deadline, and alerts to operations when
// the prober itself broke. It talks to Slack through slack-go and never directly: every message
// goes into the store's outbox first (finding.OutboxStore) and Deliver sends what is due.
//
// That gives three promises. None is lost while Slack is down: a message leaves the outbox only
// once Slack has accepted it, and a failed attempt is retried with exponential backoff and
// jitter (30 s up to 30 min, or Slack's Retry-After). Each is sent once: a message has a key
// (digest:run:ID, overdue:DAY:unit:ID, ops:run:ID), the outbox keeps one message per key, and a
// deliverer leases what it sends so that two processes, or two goroutines, never post the same
// message. A message Slack refuses for good (channel_not_found, not_in_channel, invalid_auth, …)
// is not retried forever: after Config.MaxAttempts it is marked failed with Slack's reason and
// logged as an error. Delivered and failed messages are pruned after 30 days by Run, in the
// process that delivers. And none carries personal data: messages name units, service items, finding numbers
// and rule titles, never a finding's detail, evidence or page; text is scrubbed of mobile and
// ID-card numbers and e-mail addresses, and URLs lose their query strings and fragments (where
// sign-in tickets live) before they are stored.
//
// A process that files findings enqueues and tries to deliver at once; tiyan serve and tiyan
// worker deliver the rest:
//
//	n, err := notify.New(notify.Config{Outbox: store, Token: token, DefaultChannel: "#tiyan",
//		BaseURL: "https://tiyan.example.gov.cn"})
//	if err != nil { … }
//	if err := n.EnqueueRun(ctx, store, runID); err != nil { … } // digest, and ops alert if any
//	sent, err := n.Deliver(ctx)                                  // what is due, once
//	go n.Run(ctx, 30*time.Second)                                // or keep delivering
//
// The Message builders (DigestMessage, OverdueMessage, OpsMessage) are pure functions of the
// domain types, so the texts are tested without Slack.
package notify
