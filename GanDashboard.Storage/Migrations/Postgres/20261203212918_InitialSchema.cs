using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GanDashboard.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "imports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    StoredPath = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    MachineId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    AppendTo = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OptionsJson = table.Column<string>(type: "text", nullable: false),
                    MappingJson = table.Column<string>(type: "text", nullable: true),
                    PreviewJson = table.Column<string>(type: "text", nullable: true),
                    ProfileJson = table.Column<string>(type: "text", nullable: true),
                    ProblemsJson = table.Column<string>(type: "text", nullable: true),
                    ConfirmTaskId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConfirmedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_imports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "machine_profiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MachineId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    MachineType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Manufacturer = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Model = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    ProfileJson = table.Column<string>(type: "text", nullable: false),
                    SensorCount = table.Column<int>(type: "integer", nullable: false),
                    WarningsJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_machine_profiles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "profile_drafts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MachineId = table.Column<string>(type: "text", nullable: true),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    SourceFormat = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ProfileJson = table.Column<string>(type: "text", nullable: false),
                    FindingsJson = table.Column<string>(type: "text", nullable: false),
                    IsValid = table.Column<bool>(type: "boolean", nullable: false),
                    PromotedToMachineId = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_profile_drafts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "synthetic_datasets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MachineId = table.Column<string>(type: "text", nullable: false),
                    DatasetType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    GenerationId = table.Column<Guid>(type: "uuid", nullable: true),
                    ModelId = table.Column<Guid>(type: "uuid", nullable: true),
                    FilePath = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Samples = table.Column<int>(type: "integer", nullable: false),
                    Runs = table.Column<int>(type: "integer", nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: true),
                    QualityScore = table.Column<double>(type: "double precision", nullable: true),
                    ValidationPassed = table.Column<bool>(type: "boolean", nullable: true),
                    ChecksJson = table.Column<string>(type: "text", nullable: true),
                    GenerationTimeSeconds = table.Column<double>(type: "double precision", nullable: false),
                    GeneratedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_synthetic_datasets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "training_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TaskId = table.Column<string>(type: "text", nullable: false),
                    MachineId = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Progress = table.Column<double>(type: "double precision", nullable: false),
                    Message = table.Column<string>(type: "text", nullable: true),
                    RequestJson = table.Column<string>(type: "text", nullable: false),
                    ResultJson = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    BatchId = table.Column<string>(type: "text", nullable: true),
                    CheckpointPath = table.Column<string>(type: "text", nullable: true),
                    Node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_training_tasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "tvae_models",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MachineId = table.Column<string>(type: "text", nullable: false),
                    ModelPath = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Mode = table.Column<string>(type: "text", nullable: false),
                    Epochs = table.Column<int>(type: "integer", nullable: false),
                    FinalLoss = table.Column<double>(type: "double precision", nullable: true),
                    FinalValidationLoss = table.Column<double>(type: "double precision", nullable: true),
                    TrainingTimeSeconds = table.Column<double>(type: "double precision", nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    SeedDatasetId = table.Column<Guid>(type: "uuid", nullable: true),
                    HistoryJson = table.Column<string>(type: "text", nullable: false),
                    TrainedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tvae_models", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "validation_reports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MachineId = table.Column<string>(type: "text", nullable: false),
                    GenerationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Overall = table.Column<double>(type: "double precision", nullable: false),
                    Passed = table.Column<bool>(type: "boolean", nullable: false),
                    ReportJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_validation_reports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_imports_ExpiresAt",
                table: "imports",
                column: "ExpiresAt");

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
                name: "IX_training_tasks_CreatedAt",
                table: "training_tasks",
                column: "CreatedAt");

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
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "imports");

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
