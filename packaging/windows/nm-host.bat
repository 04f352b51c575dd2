@echo off
rem Started by the browser for the eidbridge extension: runs eidbridge.exe beside this file.
"%~dp0eidbridge.exe" nm-host %*
