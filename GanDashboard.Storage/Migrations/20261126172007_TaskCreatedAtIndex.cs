using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GanDashboard.Storage.Migrations
{
    /// <inheritdoc />
    public partial class TaskCreatedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_training_tasks_CreatedAt",
                table: "training_tasks",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_training_tasks_CreatedAt",
                table: "training_tasks");
        }
    }
}
