using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportStudio.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ImportSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Sessions",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sessions_Source",
                table: "Sessions",
                column: "Source");

            // Sessions that came from elsewhere before the column existed say so in their metadata.
            migrationBuilder.Sql(
                "UPDATE \"Sessions\" SET \"Source\" = substr(json_extract(\"Metadata\", '$.source.kind'), 1, 32) " +
                "WHERE json_valid(\"Metadata\") AND json_type(\"Metadata\", '$.source.kind') = 'text';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Sessions_Source",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Sessions");
        }
    }
}
