CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text,
	`source_queue` text NOT NULL,
	`raw_body` text NOT NULL,
	`error` text NOT NULL,
	`attempts` integer DEFAULT 1 NOT NULL,
	`delivery_attempts` integer DEFAULT 1 NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`resolved_at` text,
	`resolved_by` text
);
--> statement-breakpoint
CREATE INDEX `dead_letters_status_seen_idx` ON `dead_letters` (`status`,`first_seen_at`);--> statement-breakpoint
CREATE TABLE `gold_daily_balances` (
	`account_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`currency` text NOT NULL,
	`inflow` integer DEFAULT 0 NOT NULL,
	`outflow` integer DEFAULT 0 NOT NULL,
	`net` integer DEFAULT 0 NOT NULL,
	`entries` integer DEFAULT 0 NOT NULL,
	`closing_balance` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `gold_daily_balances_user_idx` ON `gold_daily_balances` (`user_id`,`day`);--> statement-breakpoint
CREATE TABLE `gold_monthly_flows` (
	`account_id` text NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text NOT NULL,
	`currency` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account_id`, `month`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `gold_monthly_flows_user_idx` ON `gold_monthly_flows` (`user_id`,`month`);--> statement-breakpoint
CREATE TABLE `gold_platform_daily` (
	`day` text NOT NULL,
	`currency` text NOT NULL,
	`kind` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`volume` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `currency`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `gold_spending` (
	`user_id` text NOT NULL,
	`month` text NOT NULL,
	`dimension` text NOT NULL,
	`key` text NOT NULL,
	`currency` text NOT NULL,
	`purchases` integer DEFAULT 0 NOT NULL,
	`refunds` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `month`, `dimension`, `key`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `gold_transfers` (
	`transfer_id` text NOT NULL,
	`stage` text NOT NULL,
	`account_id` text NOT NULL,
	`user_id` text NOT NULL,
	`to_account_id` text,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`released` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`day` text NOT NULL,
	PRIMARY KEY(`transfer_id`, `stage`)
);
--> statement-breakpoint
CREATE INDEX `gold_transfers_account_idx` ON `gold_transfers` (`account_id`,`stage`);--> statement-breakpoint
CREATE INDEX `gold_transfers_day_idx` ON `gold_transfers` (`day`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`created_by` text NOT NULL,
	`params` text NOT NULL,
	`cursor` text,
	`step` integer DEFAULT 0 NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`total` integer,
	`result` text,
	`error` text,
	`created_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`heartbeat_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_kind_status_idx` ON `jobs` (`kind`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_created_by_idx` ON `jobs` (`created_by`,`created_at`);--> statement-breakpoint
CREATE TABLE `merchant_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`priority` integer NOT NULL,
	`field` text DEFAULT 'merchant' NOT NULL,
	`pattern` text NOT NULL,
	`merchant` text,
	`category` text,
	`enabled` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX `merchant_rules_priority_idx` ON `merchant_rules` (`priority`);--> statement-breakpoint
CREATE TABLE `pipeline_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`queue` text NOT NULL,
	`job_id` text,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`messages` integer NOT NULL,
	`bronze_objects` integer DEFAULT 0 NOT NULL,
	`valid` integer DEFAULT 0 NOT NULL,
	`invalid` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`gold_rows` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `pipeline_runs_started_idx` ON `pipeline_runs` (`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `pipeline_runs_queue_idx` ON `pipeline_runs` (`queue`,`started_at`);--> statement-breakpoint
CREATE TABLE `silver_events` (
	`event_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`version` integer NOT NULL,
	`account_id` text NOT NULL,
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`occurred_at` text NOT NULL,
	`event_date` text NOT NULL,
	`recorded_at` text NOT NULL,
	`run_id` text NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `silver_events_user_date_idx` ON `silver_events` (`user_id`,`event_date`);--> statement-breakpoint
CREATE INDEX `silver_events_date_idx` ON `silver_events` (`event_date`);