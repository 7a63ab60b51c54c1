"""The morning follow-up digest by Web Push: planned once per user per local date, then
claimed, sent and recorded by one or more dispatchers.

- `planning`: who gets a digest now (time zones, quiet days), written once
- `payload`: what the notification says
- `claims`: claiming deliveries atomically, stall recovery, recording outcomes and retries
- `dispatch`: one pass, with a thread pool for the sends
- `cli`: `flask reminders send [--now]` and `flask reminders run`
"""
