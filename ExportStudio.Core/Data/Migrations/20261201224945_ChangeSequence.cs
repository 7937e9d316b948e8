using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportStudio.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChangeSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChangeSequence",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "ChangeCounter",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChangeCounter", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SessionDeletions",
                columns: table => new
                {
                    SessionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChangeSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionDeletions", x => x.SessionId);
                });

            migrationBuilder.InsertData(
                table: "ChangeCounter",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_ChangeSequence",
                table: "Sessions",
                column: "ChangeSequence");

            migrationBuilder.CreateIndex(
                name: "IX_SessionDeletions_ChangeSequence",
                table: "SessionDeletions",
                column: "ChangeSequence");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChangeCounter");

            migrationBuilder.DropTable(
                name: "SessionDeletions");

            migrationBuilder.DropIndex(
                name: "IX_Sessions_ChangeSequence",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "ChangeSequence",
                table: "Sessions");
        }
    }
}
