CREATE TABLE `payees` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`institution_id` text,
	`account_last4` text NOT NULL,
	`account_ref_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `payees_user_idx` ON `payees` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `processor_executions` (
	`key` text PRIMARY KEY NOT NULL,
	`outcome` text NOT NULL,
	`reference` text,
	`message` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`calls` integer DEFAULT 1 NOT NULL,
	`executed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customer_profiles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`national_id_hash` text,
	`national_id_last4` text,
	`email` text,
	`phone` text,
	`address` text,
	`latitude` real,
	`longitude` real,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customer_profiles_name_idx` ON `customer_profiles` (`name`);--> statement-breakpoint
CREATE TABLE `institution_accounts` (
	`account_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`institution_id` text NOT NULL,
	`account_type` text NOT NULL,
	`slot` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `institution_accounts_slot_idx` ON `institution_accounts` (`user_id`,`institution_id`,`slot`);--> statement-breakpoint
CREATE INDEX `institution_accounts_inst_idx` ON `institution_accounts` (`institution_id`);--> statement-breakpoint
CREATE TABLE `institutions` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`code` text NOT NULL,
	`email` text,
	`phone` text,
	`one_account_per_type` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `institutions_code_idx` ON `institutions` (`code`);--> statement-breakpoint
CREATE INDEX `institutions_name_idx` ON `institutions` (`name`,`id`);