CREATE TABLE `news_rank_snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`sort` text NOT NULL,
	`as_of` integer NOT NULL,
	`entries` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `news_rank_snapshots_as_of_idx` ON `news_rank_snapshots` (`as_of`);--> statement-breakpoint
CREATE TABLE `watchlist_symbols` (
	`user_id` text NOT NULL,
	`symbol` text NOT NULL,
	`position` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `symbol`)
);
--> statement-breakpoint
CREATE INDEX `watchlist_symbols_order_idx` ON `watchlist_symbols` (`user_id`,`position`);