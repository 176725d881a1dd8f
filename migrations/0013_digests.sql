CREATE TABLE `digests` (
	`id` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`currency` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`, `period_start`, `currency`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digests_id_unique` ON `digests` (`id`);--> statement-breakpoint
CREATE INDEX `digests_user_start_idx` ON `digests` (`user_id`,`period_start`);