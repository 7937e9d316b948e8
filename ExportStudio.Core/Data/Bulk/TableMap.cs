using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExportStudio.Core.Data.Bulk;

/// <summary>
/// An entity's table as the EF model maps it: the delimited table name and every stored column with the
/// property it holds, so code that bypasses EF for speed still never spells a table or column name.
/// </summary>
public sealed class TableMap
{
    private TableMap(string table, IReadOnlyList<(IProperty Property, string Column)> columns, Func<string, string> column)
    {
        Table = table;
        Columns = columns;
        ColumnOf = column;
    }

    /// <summary>The delimited table name.</summary>
    public string Table { get; }

    /// <summary>Every stored property with its delimited column, in the model's order.</summary>
    public IReadOnlyList<(IProperty Property, string Column)> Columns { get; }

    /// <summary>The delimited column of a property, qualified with the table: <c>"Sessions"."Title"</c>.</summary>
    public Func<string, string> ColumnOf { get; }

    /// <summary>The delimited column of a property, unqualified: <c>"Title"</c>.</summary>
    public string Column(string property) => Columns.Single(c => c.Property.Name == property).Column;

    /// <summary>The column list, unqualified: <c>"Id", "Title", …</c>.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Column));

    public static TableMap For<T>(DbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var name = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
        var table = sql.DelimitIdentifier(name);
        var columns = entity.GetProperties()
            .Where(p => p.GetColumnName(store) is not null)
            .Select(p => ((IProperty)p, sql.DelimitIdentifier(p.GetColumnName(store)!)))
            .ToList();
        return new TableMap(table, columns, property => $"{table}.{sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(store)!)}");
    }
}
