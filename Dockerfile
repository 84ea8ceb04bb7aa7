# GanDashboard as one container: the Blazor Server dashboard, the API, the Quartz queue and the
# embedded SQLite store. Data lives in the /data volume (database + per-machine files).
#
#   docker build -t gandashboard .
#   docker run -p 8080:8080 -v gandashboard-data:/data gandashboard

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig ./
COPY build/ build/
COPY GanDashboard.Core/GanDashboard.Core.csproj GanDashboard.Core/
COPY GanDashboard.Tvae/GanDashboard.Tvae.csproj GanDashboard.Tvae/
COPY GanDashboard.Storage/GanDashboard.Storage.csproj GanDashboard.Storage/
COPY GanDashboard.Web/GanDashboard.Web.csproj GanDashboard.Web/
RUN dotnet restore GanDashboard.Web/GanDashboard.Web.csproj
COPY GanDashboard.Core/ GanDashboard.Core/
COPY GanDashboard.Tvae/ GanDashboard.Tvae/
COPY GanDashboard.Storage/ GanDashboard.Storage/
COPY GanDashboard.Web/ GanDashboard.Web/
# Publishing runs the same native-library fix as CI's `dotnet publish` (build/TorchSharpNativeFix.targets).
RUN dotnet publish GanDashboard.Web/GanDashboard.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# libgomp1: OpenMP runtime that libtorch's CPU kernels link against; curl: the health check.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home /app gandashboard && mkdir -p /data && chown gandashboard /data
WORKDIR /app
COPY --from=build /app ./
USER gandashboard
ENV ASPNETCORE_URLS=http://+:8080 \
    GanDashboard__DataDirectory=/data \
    DOTNET_gcServer=0
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "GanDashboard.Web.dll"]
