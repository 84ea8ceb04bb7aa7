using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GanDashboard.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "machine_profiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MachineId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    MachineType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Manufacturer = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Model = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    ProfileJson = table.Column<string>(type: "TEXT", nullable: false),
                    SensorCount = table.Column<int>(type: "INTEGER", nullable: false),
                    WarningsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_machine_profiles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "profile_drafts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MachineId = table.Column<string>(type: "TEXT", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    SourceFormat = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ProfileJson = table.Column<string>(type: "TEXT", nullable: false),
                    FindingsJson = table.Column<string>(type: "TEXT", nullable: false),
                    IsValid = table.Column<bool>(type: "INTEGER", nullable: false),
                    PromotedToMachineId = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_profile_drafts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "synthetic_datasets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MachineId = table.Column<string>(type: "TEXT", nullable: false),
                    DatasetType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    GenerationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ModelId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FilePath = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Samples = table.Column<int>(type: "INTEGER", nullable: false),
                    Runs = table.Column<int>(type: "INTEGER", nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    Seed = table.Column<int>(type: "INTEGER", nullable: true),
                    QualityScore = table.Column<double>(type: "REAL", nullable: true),
                    ValidationPassed = table.Column<bool>(type: "INTEGER", nullable: true),
                    ChecksJson = table.Column<string>(type: "TEXT", nullable: true),
                    GenerationTimeSeconds = table.Column<double>(type: "REAL", nullable: false),
                    GeneratedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_synthetic_datasets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "training_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TaskId = table.Column<string>(type: "TEXT", nullable: false),
                    MachineId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    RequestJson = table.Column<string>(type: "TEXT", nullable: false),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    BatchId = table.Column<string>(type: "TEXT", nullable: true),
                    CheckpointPath = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_training_tasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "tvae_models",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MachineId = table.Column<string>(type: "TEXT", nullable: false),
                    ModelPath = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", nullable: false),
                    Epochs = table.Column<int>(type: "INTEGER", nullable: false),
                    FinalLoss = table.Column<double>(type: "REAL", nullable: true),
                    FinalValidationLoss = table.Column<double>(type: "REAL", nullable: true),
                    TrainingTimeSeconds = table.Column<double>(type: "REAL", nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    SeedDatasetId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HistoryJson = table.Column<string>(type: "TEXT", nullable: false),
                    TrainedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tvae_models", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "validation_reports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MachineId = table.Column<string>(type: "TEXT", nullable: false),
                    GenerationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Overall = table.Column<double>(type: "REAL", nullable: false),
                    Passed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_validation_reports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_machine_profiles_MachineId",
                table: "machine_profiles",
                column: "MachineId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_synthetic_datasets_MachineId_DatasetType_GeneratedAt",
                table: "synthetic_datasets",
                columns: new[] { "MachineId", "DatasetType", "GeneratedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_training_tasks_MachineId_Status",
                table: "training_tasks",
                columns: new[] { "MachineId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_training_tasks_Status",
                table: "training_tasks",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_training_tasks_TaskId",
                table: "training_tasks",
                column: "TaskId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tvae_models_MachineId_TrainedAt",
                table: "tvae_models",
                columns: new[] { "MachineId", "TrainedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_validation_reports_MachineId_CreatedAt",
                table: "validation_reports",
                columns: new[] { "MachineId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "machine_profiles");

            migrationBuilder.DropTable(
                name: "profile_drafts");

            migrationBuilder.DropTable(
                name: "synthetic_datasets");

            migrationBuilder.DropTable(
                name: "training_tasks");

            migrationBuilder.DropTable(
                name: "tvae_models");

            migrationBuilder.DropTable(
                name: "validation_reports");
        }
    }
}
