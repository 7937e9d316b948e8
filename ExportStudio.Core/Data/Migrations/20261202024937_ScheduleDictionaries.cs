using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportStudio.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScheduleDictionaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "DictionaryRatio",
                table: "ExportJobs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "DictionaryTrained",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "FrameDictionaryId",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ScheduleDictionaries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DictionaryId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Size = table.Column<int>(type: "INTEGER", nullable: false),
                    ScheduleId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TrainedByJobId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrainedOnSessions = table.Column<int>(type: "INTEGER", nullable: false),
                    TrainedRatio = table.Column<double>(type: "REAL", nullable: false),
                    TrainedGain = table.Column<double>(type: "REAL", nullable: false),
                    RetiredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduleDictionaries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScheduleDictionaries_ExportSchedules_ScheduleId",
                        column: x => x.ScheduleId,
                        principalTable: "ExportSchedules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            // SQLite adds a nullable column with its reference in place; EF's AddForeignKey would rebuild
            // ExportJobs with foreign keys switched off outside the migration's transaction.
            migrationBuilder.Sql("""
                ALTER TABLE "ExportJobs" ADD COLUMN "KeptDictionaryId" TEXT NULL
                    CONSTRAINT "FK_ExportJobs_ScheduleDictionaries_KeptDictionaryId" REFERENCES "ScheduleDictionaries" ("Id") ON DELETE RESTRICT;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ExportJobs_KeptDictionaryId",
                table: "ExportJobs",
                column: "KeptDictionaryId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleDictionaries_DictionaryId",
                table: "ScheduleDictionaries",
                column: "DictionaryId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduleDictionaries_ScheduleId_CreatedAt",
                table: "ScheduleDictionaries",
                columns: new[] { "ScheduleId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ExportJobs_ScheduleDictionaries_KeptDictionaryId",
                table: "ExportJobs");

            migrationBuilder.DropTable(
                name: "ScheduleDictionaries");

            migrationBuilder.DropIndex(
                name: "IX_ExportJobs_KeptDictionaryId",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "DictionaryRatio",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "DictionaryTrained",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "FrameDictionaryId",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "KeptDictionaryId",
                table: "ExportJobs");
        }
    }
}
