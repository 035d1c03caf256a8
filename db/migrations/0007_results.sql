CREATE TABLE `vote_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`delta` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `vote_events_board` ON `vote_events` (`board_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `workshops` ADD `results_published_at` integer;