using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportStudio.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DeletedSessionCount",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "IncrementFrom",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "IncrementTo",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Incremental",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "ScheduledFor",
                table: "ExportJobs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExportSchedules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Formats = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Filters = table.Column<string>(type: "TEXT", nullable: false),
                    Options = table.Column<string>(type: "TEXT", nullable: false),
                    Every = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Start = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Keep = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextRunAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Watermark = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExportSchedules", x => x.Id);
                });

            // SQLite adds a nullable column with its reference in place; EF's AddForeignKey would rebuild
            // ExportJobs with foreign keys switched off outside the migration's transaction.
            migrationBuilder.Sql("""
                ALTER TABLE "ExportJobs" ADD COLUMN "ScheduleId" TEXT NULL
                    CONSTRAINT "FK_ExportJobs_ExportSchedules_ScheduleId" REFERENCES "ExportSchedules" ("Id") ON DELETE SET NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ExportJobs_ScheduleId_ScheduledFor",
                table: "ExportJobs",
                columns: new[] { "ScheduleId", "ScheduledFor" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExportSchedules_Enabled_NextRunAt",
                table: "ExportSchedules",
                columns: new[] { "Enabled", "NextRunAt" });

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ExportJobs_ExportSchedules_ScheduleId",
                table: "ExportJobs");

            migrationBuilder.DropTable(
                name: "ExportSchedules");

            migrationBuilder.DropIndex(
                name: "IX_ExportJobs_ScheduleId_ScheduledFor",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "DeletedSessionCount",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "IncrementFrom",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "IncrementTo",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "Incremental",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "ScheduleId",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "ScheduledFor",
                table: "ExportJobs");
        }
    }
}
