using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExportStudio.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ExportStudioDbContext>
{
    public ExportStudioDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ExportStudioDbContext>().UseExportStudioSqlite("design-time.db").Options);
}
