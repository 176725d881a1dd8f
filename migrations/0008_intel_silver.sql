CREATE TABLE `cashback_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`scope_value` text,
	`rate_bps` integer NOT NULL,
	`cap` integer,
	`cap_period` text NOT NULL,
	`fallback_bps` integer DEFAULT 0 NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`rotating` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cashback_rules_user_idx` ON `cashback_rules` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `intel_anomalies` (
	`account_id` text NOT NULL,
	`entry_id` text NOT NULL,
	`user_id` text NOT NULL,
	`occurred_at` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`merchant_key` text NOT NULL,
	`score` integer NOT NULL,
	`risk_level` text NOT NULL,
	`reasons` text NOT NULL,
	`alert_event_id` text,
	`scored_at` text NOT NULL,
	PRIMARY KEY(`account_id`, `entry_id`)
);
--> statement-breakpoint
CREATE INDEX `intel_anomalies_user_time_idx` ON `intel_anomalies` (`user_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `silver_transactions` (
	`account_id` text NOT NULL,
	`entry_id` text NOT NULL,
	`user_id` text NOT NULL,
	`event_id` text,
	`occurred_at` text NOT NULL,
	`event_date` text NOT NULL,
	`kind` text NOT NULL,
	`reverses_kind` text,
	`reverses_entry_id` text,
	`direction` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`raw_merchant` text,
	`raw_description` text,
	`merchant` text,
	`description` text,
	`merchant_key` text NOT NULL,
	`merchant_name` text NOT NULL,
	`merchant_confidence` real NOT NULL,
	`category` text NOT NULL,
	`category_primary` text NOT NULL,
	`category_detailed` text NOT NULL,
	`category_source` text NOT NULL,
	`category_confidence` real NOT NULL,
	`annotation_seq` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account_id`, `entry_id`)
);
--> statement-breakpoint
CREATE INDEX `silver_transactions_user_merchant_idx` ON `silver_transactions` (`user_id`,`merchant_key`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `silver_transactions_user_time_idx` ON `silver_transactions` (`user_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `silver_transactions_date_idx` ON `silver_transactions` (`event_date`);--> statement-breakpoint
CREATE TABLE `user_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`stage` text NOT NULL,
	`conditions` text NOT NULL,
	`actions` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`source` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `user_rules_user_idx` ON `user_rules` (`user_id`,`created_at`);